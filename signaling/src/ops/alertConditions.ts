import type { AlertCondition } from './AlertEvaluator';
import type { AlertRules } from './alertRules';
import type { OpsMeeting } from '../protocol';

/** A worker that died and has not yet been seen replaced, a node gone without draining, a guard violation. */
export interface NodeIncidents {
  workersDown: { nodeId: string; worker: number; pid: number; at: number }[];
  nodesDown: { nodeId: string; at: number }[];
  guardViolations: { nodeId: string; meetingId?: string; violation: string; at: number }[];
}

const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;

/** Every alert condition that holds in this picture, by the rules. */
export function alertConditions(meetings: OpsMeeting[], incidents: NodeIncidents, rules: AlertRules, now: number): AlertCondition[] {
  const conditions: AlertCondition[] = [];
  for (const meeting of meetings) {
    const where = `${meeting.station.name} → ${meeting.center.name}`;
    for (const [direction, health] of Object.entries(meeting.directions) as [keyof OpsMeeting['directions'], OpsMeeting['directions'][keyof OpsMeeting['directions']]][]) {
      const subject = { meetingId: meeting.meetingId, direction, nodeId: meeting.nodeId, worker: meeting.worker };
      const label = direction === 'seat_to_booth' ? 'seat→booth' : 'booth→seat';
      const lossReason = health.reasons.find((r) => r.code === 'loss');
      const loss = Math.max(health.uplinkLoss, health.downlinkLoss);
      if (rules.loss.enabled && loss > rules.loss.above) {
        conditions.push({
          key: `loss:${meeting.meetingId}:${direction}`,
          rule: 'loss',
          severity: rules.loss.severity,
          subject,
          value: loss,
          text: `${label} ${lossReason?.text ?? `loss ${percent(loss)}`} (${where})`,
          forMs: rules.loss.forMs,
          graceMs: rules.graceMs,
        });
      }
      if (rules.rtt.enabled && health.rttMs !== undefined && health.rttMs > rules.rtt.aboveMs) {
        conditions.push({
          key: `rtt:${meeting.meetingId}:${direction}`,
          rule: 'rtt',
          severity: rules.rtt.severity,
          subject,
          value: health.rttMs,
          text: `${label} RTT ${health.rttMs} ms (${where})`,
          forMs: rules.rtt.forMs,
          graceMs: rules.graceMs,
        });
      }
      const received = health.received;
      const stalled = received ? Math.max(received.stalledMs, received.freezes > 0 ? received.freezeMs / received.freezes : 0) : 0;
      if (rules.freeze.enabled && stalled > rules.freeze.aboveMs) {
        conditions.push({
          key: `freeze:${meeting.meetingId}:${direction}`,
          rule: 'freeze',
          severity: rules.freeze.severity,
          subject,
          value: stalled,
          text: `${label} picture frozen ${(stalled / 1000).toFixed(1)} s (${where})`,
          forMs: rules.freeze.forMs,
          graceMs: rules.graceMs,
        });
      }
      const noMedia = health.reasons.find((r) => r.code === 'no_media');
      if (rules.noMedia.enabled && noMedia) {
        conditions.push({
          key: `no_media:${meeting.meetingId}:${direction}`,
          rule: 'no_media',
          severity: rules.noMedia.severity,
          subject,
          text: `${label} ${noMedia.text} (${where})`,
          forMs: rules.noMedia.forMs,
          graceMs: rules.graceMs,
        });
      }
    }
  }
  if (rules.workerDown.enabled) {
    for (const w of incidents.workersDown) {
      conditions.push({
        key: `worker_down:${w.nodeId}:${w.worker}`,
        rule: 'worker_down',
        severity: rules.workerDown.severity,
        subject: { nodeId: w.nodeId, worker: w.worker },
        value: w.pid,
        text: `worker ${w.worker} (pid ${w.pid}) of ${w.nodeId} died`,
        forMs: 0,
      });
    }
  }
  if (rules.nodeDown.enabled) {
    for (const n of incidents.nodesDown) {
      conditions.push({
        key: `node_down:${n.nodeId}`,
        rule: 'node_down',
        severity: rules.nodeDown.severity,
        subject: { nodeId: n.nodeId },
        text: `SFU node ${n.nodeId} stopped without draining`,
        forMs: 0,
      });
    }
  }
  for (const g of incidents.guardViolations) {
    if (now - g.at > rules.guardAlarm.holdMs) continue;
    conditions.push({
      key: `guard_alarm:${g.nodeId}:${g.meetingId ?? 'node'}:${g.at}`,
      rule: 'guard_alarm',
      severity: 'alarm',
      subject: { nodeId: g.nodeId, ...(g.meetingId ? { meetingId: g.meetingId } : {}) },
      text: `SFU guard: ${g.violation} on ${g.nodeId}; the meeting was closed`,
      forMs: 0,
    });
  }
  return conditions;
}
