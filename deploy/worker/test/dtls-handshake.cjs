// dtls-handshake.cjs: a real ICE + DTLS + SRTP session against the worker,
// with werift (a WebRTC stack in JavaScript) as the remote peer.
//
// mediasoup's own Node tests never complete a DTLS handshake, so they cannot
// catch the crash that patches/0001 fixes (SIGSEGV on the first handshake
// with Debian's kTLS-enabled OpenSSL), nor a broken SRTP path. This does:
// werift offers one sendonly and one recvonly audio m-line; the worker's
// WebRtcTransport (ICE-lite, DTLS server) answers; werift sends 50 RTP
// packets to a Producer (worker decrypts: srtp_unprotect) and a Consumer of
// that Producer sends them back (worker encrypts: srtp_protect).
//
// Run by check-worker.sh (MEDIASOUP_WORKER_BIN, MEDIASOUP_PKG and NODE_PATH
// set there). Prints one line; exits 0 on success.
'use strict';

const mediasoup = require(process.env.MEDIASOUP_PKG || 'mediasoup');
const { RTCPeerConnection, MediaStreamTrack, RtpPacket, RtpHeader } = require('werift');

const PACKETS = 50;

function withTimeout(promise, ms, what) {
	let timer;
	return Promise.race([
		promise,
		new Promise((resolve, reject) => {
			timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${what}`)), ms);
		}),
	]).finally(() => clearTimeout(timer));
}

async function main() {
	const worker = await mediasoup.createWorker({
		workerBin: process.env.MEDIASOUP_WORKER_BIN,
		logLevel: 'error',
	});
	let died = null;
	const diedPromise = new Promise((resolve, reject) => {
		worker.on('died', (error) => {
			died = error;
			reject(new Error(`worker died: ${error.message}`));
		});
	});
	diedPromise.catch(() => {});

	const router = await worker.createRouter({
		mediaCodecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
	});
	const transport = await router.createWebRtcTransport({
		listenInfos: [{ protocol: 'udp', ip: '127.0.0.1' }],
	});
	const dtlsConnected = new Promise((resolve, reject) => {
		transport.on('dtlsstatechange', (state) => {
			if (state === 'connected') resolve();
			else if (state === 'failed' || state === 'closed') reject(new Error(`DTLS ${state}`));
		});
	});

	// werift side: offer sendonly + recvonly audio.
	// Loopback is normally excluded from host candidates; the worker listens
	// on 127.0.0.1 and check-worker.sh may run in a loopback-only netns.
	const pc = new RTCPeerConnection({ iceUseIpv6: false, iceAdditionalHostAddresses: ['127.0.0.1'] });
	const sendTrack = new MediaStreamTrack({ kind: 'audio' });
	pc.addTransceiver(sendTrack, { direction: 'sendonly' });
	const recvTransceiver = pc.addTransceiver('audio', { direction: 'recvonly' });
	let received = 0;
	recvTransceiver.onTrack.subscribe((track) => {
		track.onReceiveRtp.subscribe(() => {
			received++;
		});
	});
	await pc.setLocalDescription(await pc.createOffer());
	const offer = pc.localDescription.sdp;
	const sections = offer.split(/\r\nm=/).slice(1).map((s) => 'm=' + s);
	const fingerprint = /a=fingerprint:sha-256 (\S+)/.exec(offer)[1];
	const mids = sections.map((s) => /a=mid:(\S+)/.exec(s)[1]);
	const pt = Number(/a=rtpmap:(\d+) opus\/48000/i.exec(sections[0])[1]);
	const sendSsrc = Number(/a=ssrc:(\d+)/.exec(sections[0])[1]);

	// Worker side: DTLS server, a Producer for werift's stream and a Consumer
	// of it that goes back to werift.
	await transport.connect({
		dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: fingerprint }] },
	});
	const producer = await transport.produce({
		kind: 'audio',
		rtpParameters: {
			mid: mids[0],
			codecs: [{ mimeType: 'audio/opus', payloadType: pt, clockRate: 48000, channels: 2 }],
			encodings: [{ ssrc: sendSsrc }],
		},
	});
	const consumer = await transport.consume({
		producerId: producer.id,
		rtpCapabilities: {
			codecs: [{ kind: 'audio', mimeType: 'audio/opus', preferredPayloadType: pt, clockRate: 48000, channels: 2 }],
			headerExtensions: [],
		},
	});
	const consumerPt = consumer.rtpParameters.codecs[0].payloadType;
	const consumerSsrc = consumer.rtpParameters.encodings[0].ssrc;

	const candidate = transport.iceCandidates[0];
	const ourFingerprint = transport.dtlsParameters.fingerprints.find((f) => f.algorithm === 'sha-256').value;
	const media = (mid, direction, payloadType, extra) => [
		`m=audio ${candidate.port} UDP/TLS/RTP/SAVPF ${payloadType}`,
		'c=IN IP4 127.0.0.1',
		`a=mid:${mid}`,
		`a=${direction}`,
		'a=rtcp-mux',
		`a=ice-ufrag:${transport.iceParameters.usernameFragment}`,
		`a=ice-pwd:${transport.iceParameters.password}`,
		`a=candidate:${candidate.foundation} 1 udp ${candidate.priority} ${candidate.address} ${candidate.port} typ host`,
		'a=end-of-candidates',
		'a=setup:passive',
		`a=rtpmap:${payloadType} opus/48000/2`,
		...extra,
	];
	const answer = [
		'v=0',
		'o=- 1 1 IN IP4 127.0.0.1',
		's=-',
		't=0 0',
		'a=ice-lite',
		`a=group:BUNDLE ${mids.join(' ')}`,
		`a=fingerprint:sha-256 ${ourFingerprint}`,
		...media(mids[0], 'recvonly', pt, []),
		...media(mids[1], 'sendonly', consumerPt, [
			`a=msid:check-worker check-worker-audio`,
			`a=ssrc:${consumerSsrc} cname:check-worker`,
		]),
		'',
	].join('\r\n');

	const t0 = Date.now();
	await pc.setRemoteDescription({ type: 'answer', sdp: answer });
	await withTimeout(Promise.race([dtlsConnected, diedPromise]), 10000, 'DTLS handshake');
	const handshakeMs = Date.now() - t0;

	for (let i = 0; i < PACKETS; i++) {
		const header = new RtpHeader({ payloadType: pt, sequenceNumber: 1000 + i, timestamp: 960 * i, ssrc: sendSsrc });
		sendTrack.writeRtp(new RtpPacket(header, Buffer.alloc(80, i)));
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	const deadline = Date.now() + 3000;
	while (Date.now() < deadline && !died && received < PACKETS * 0.9) {
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	const [producerStats] = await producer.getStats();
	const inbound = producerStats ? producerStats.packetCount : 0;

	await pc.close();
	worker.close();

	const line = `DTLS handshake ${handshakeMs} ms, SRTP in ${inbound}/${PACKETS}, out ${received}/${PACKETS}`;
	if (died || inbound < PACKETS * 0.9 || received < PACKETS * 0.9) {
		throw new Error(line + (died ? `, worker died: ${died.message}` : ''));
	}
	console.log(line);
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error && error.message ? error.message : error);
		process.exit(1);
	},
);
