import { join } from 'node:path';
import { ManagedProcess } from '../../deploy/local/ManagedProcess';
import { freePort, repoRoot } from '../../deploy/local/Platform';

export interface TestTurnServer {
  process: ManagedProcess;
  port: number;
  relayMin: number;
  relayMax: number;
}

/**
 * Debian's coturn as the turn image runs it: deploy/turn/start-turn.sh with deploy/turn/turnserver.conf.
 * Test-only arguments: loopback listener on a free port, no TLS, loopback peers allowed (the SFU
 * listens on 127.0.0.1 here; the peer policy of the config file still denies every other address),
 * verbose session logs.
 */
export async function startTurnServer(workDir: string, secret: string, peerIps = '127.0.0.1'): Promise<TestTurnServer> {
  const port = await freePort();
  const relayMin = 20000 + (port % 20000);
  const relayMax = relayMin + 40;
  const process_ = ManagedProcess.start(
    'coturn',
    join(repoRoot, 'deploy/turn/start-turn.sh'),
    [
      '--listening-ip=127.0.0.1',
      '--relay-ip=127.0.0.1',
      `--listening-port=${port}`,
      '--no-tls',
      `--db=${join(workDir, 'turndb')}`,
      `--pidfile=${join(workDir, 'turnserver.pid')}`,
      '--allow-loopback-peers',
      '--verbose', // session lines (realm, username) for the tests to read
    ],
    {
      env: {
        ...process.env,
        TMPDIR: workDir,
        TURN_SECRET: secret,
        TURN_REALM: 'huijian.test',
        TURN_PEER_IPS: peerIps,
        TURN_RELAY_PORT_MIN: String(relayMin),
        TURN_RELAY_PORT_MAX: String(relayMax),
      },
      logFile: join(workDir, 'coturn.log'),
    },
  );
  await process_.waitForLine((line) => line.includes('Total General servers'), 15_000, 'coturn listening');
  return { process: process_, port, relayMin, relayMax };
}
