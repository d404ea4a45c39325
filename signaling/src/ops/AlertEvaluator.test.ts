import { describe, expect, it } from 'vitest';
import { type AlertCondition, AlertEvaluator } from './AlertEvaluator';
import { alertConditions } from './alertConditions';
import { defaultAlertRules } from './alertRules';

const loss = (value: number): AlertCondition => ({
  key: 'loss:m-1:seat_to_booth',
  rule: 'loss',
  severity: 'warning',
  subject: { meetingId: 'm-1', direction: 'seat_to_booth' },
  text: `loss ${value}`,
  value,
  forMs: 10_000,
});

describe('AlertEvaluator', () => {
  it('raises once after the condition held forMs, and clears when it ends', () => {
    const evaluator = new AlertEvaluator();
    expect(evaluator.evaluate(0, [loss(0.08)]).raised).toEqual([]);
    expect(evaluator.evaluate(9_000, [loss(0.08)]).raised).toEqual([]);
    const { raised } = evaluator.evaluate(10_000, [loss(0.09)]);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ key: 'loss:m-1:seat_to_booth', raisedAt: 10_000, value: 0.09 });
    expect(evaluator.evaluate(12_000, [loss(0.1)]).raised).toEqual([]);
    expect(evaluator.active[0]?.value).toBe(0.1);
    const { cleared } = evaluator.evaluate(14_000, []);
    expect(cleared).toEqual([expect.objectContaining({ key: 'loss:m-1:seat_to_booth', raisedAt: 10_000, clearedAt: 14_000 })]);
    expect(evaluator.active).toEqual([]);
  });

  it('starts the clock again when the condition lapses before forMs', () => {
    const evaluator = new AlertEvaluator();
    evaluator.evaluate(0, [loss(0.08)]);
    evaluator.evaluate(8_000, []);
    expect(evaluator.evaluate(12_000, [loss(0.08)]).raised).toEqual([]);
    expect(evaluator.evaluate(22_000, [loss(0.08)]).raised).toHaveLength(1);
  });

  it('rides over a lapse shorter than its grace, and clears only after it', () => {
    const evaluator = new AlertEvaluator();
    const flickering = { ...loss(0.06), graceMs: 4000 };
    evaluator.evaluate(0, [flickering]);
    evaluator.evaluate(2_000, []);
    expect(evaluator.evaluate(10_000, [flickering]).raised).toHaveLength(1);
    expect(evaluator.evaluate(13_000, []).cleared).toEqual([]);
    expect(evaluator.evaluate(15_000, []).cleared).toHaveLength(1);
  });

  it('clears an adopted alert whose condition is gone', () => {
    const evaluator = new AlertEvaluator();
    evaluator.adopt([{ key: 'worker_down:n:0', rule: 'worker_down', severity: 'critical', subject: {}, text: 'w', raisedAt: 5 }]);
    expect(evaluator.evaluate(10, []).cleared).toHaveLength(1);
  });
});

describe('alertConditions', () => {
  it('makes the guard alarm the highest severity and lets it lapse after holdMs', () => {
    const incidents = { workersDown: [], nodesDown: [], guardViolations: [{ nodeId: 'n', meetingId: 'm', violation: 'rtp_observer', at: 1000 }] };
    expect(alertConditions([], incidents, defaultAlertRules, 2000)).toEqual([expect.objectContaining({ rule: 'guard_alarm', severity: 'alarm', forMs: 0 })]);
    expect(alertConditions([], incidents, defaultAlertRules, 1000 + defaultAlertRules.guardAlarm.holdMs + 1)).toEqual([]);
  });

  it('turns a dead worker and a vanished node into immediate conditions', () => {
    const incidents = { workersDown: [{ nodeId: 'n', worker: 1, pid: 42, at: 1 }], nodesDown: [{ nodeId: 'n2', at: 1 }], guardViolations: [] };
    const rules = alertConditions([], incidents, defaultAlertRules, 2).map((c) => [c.rule, c.key, c.forMs]);
    expect(rules).toEqual([
      ['worker_down', 'worker_down:n:1', 0],
      ['node_down', 'node_down:n2', 0],
    ]);
  });
});
