// Docker HEALTHCHECK of the signaling image: GET /healthz on this container's own listener, over
// HTTPS when TLS is configured. Plain JavaScript (no tsx): it runs every 15 s and must stay cheap.
// The defaults mirror signaling/src/config.ts (the image sets SIGNALING_PORT=8443).
// A local liveness probe: the certificate names the public host, not 127.0.0.1, so it is not
// verified here. Unhealthy while draining, as the listener is closed then.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const tls = Boolean(process.env.TLS_CERT_FILE);
const url = `${tls ? 'https' : 'http'}://127.0.0.1:${process.env.SIGNALING_PORT || 8080}/healthz`;
const status = await new Promise((resolve) => {
  const req = (tls ? httpsRequest : httpRequest)(url, { timeout: 3000, rejectUnauthorized: false }, (res) => {
    res.resume();
    resolve(res.statusCode ?? 0);
  });
  req.on('timeout', () => req.destroy(new Error('timeout')));
  req.on('error', (error) => {
    console.log(`unhealthy: ${url}: ${error.message}`);
    resolve(0);
  });
  req.end();
});
if (status) console.log(`${url}: ${status}`);
process.exit(status === 200 ? 0 : 1);
