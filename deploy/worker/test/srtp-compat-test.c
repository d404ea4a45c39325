/*
 * srtp-compat-test.c: tests the libsrtp 3.0 compatibility layer
 * (deploy/worker/subprojects/libsrtp3) the way mediasoup's worker uses it.
 *
 * build-worker.sh compiles this against the very srtp3compat library that is
 * linked into the worker and refuses to finish the build if it fails.
 * Manual run (from deploy/worker):
 *   cc -Isubprojects/libsrtp3 test/srtp-compat-test.c \
 *      subprojects/libsrtp3/srtp3_compat.c -lsrtp2 -o /tmp/t && /tmp/t
 *
 * Covers, for AES_CM_128_HMAC_SHA1_80/_32 and AEAD_AES_128_GCM/256_GCM:
 * RTP and RTCP protect/unprotect round trips (out-of-place protect like
 * mediasoup's SrtpSession::EncryptRtp, in-place and out-of-place unprotect),
 * exact trailer lengths and no write past the output capacity, tampering and
 * replays rejected, allow_repeat_tx (same packet protected twice succeeds;
 * without it the repeat fails), a packet 1024 or more behind failing with
 * srtp_err_status_replay_old (sender and receiver side, window 1024),
 * srtp_stream_remove(), and the refusals (MKI, wrong key length,
 * buffer too small, bad window size).
 */
#include "srtp.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed;
static int failed;

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (cond) {                                                            \
            passed++;                                                          \
        } else {                                                               \
            failed++;                                                          \
            fprintf(stderr, "FAIL (%s, line %d): ", current, __LINE__);        \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
        }                                                                      \
    } while (0)

#define CHECK_STATUS(expr, expected)                                           \
    do {                                                                       \
        srtp_err_status_t st_ = (expr);                                        \
        CHECK(st_ == (expected), "%s returned %d, expected %d (%s)", #expr,    \
              (int)st_, (int)(expected), #expected);                           \
    } while (0)

static const char *current = "setup";

struct suite {
    const char *name;
    srtp_profile_t profile;
    size_t rtp_tag;  /* bytes appended to an RTP packet */
    size_t rtcp_tag; /* auth tag of SRTCP (after the 4-byte index) */
};

static const struct suite suites[] = {
    /* SRTCP always uses the 80-bit tag, also with the _32 profile. */
    { "AES_CM_128_HMAC_SHA1_80", srtp_profile_aes128_cm_sha1_80, 10, 10 },
    { "AES_CM_128_HMAC_SHA1_32", srtp_profile_aes128_cm_sha1_32, 4, 10 },
    { "AEAD_AES_128_GCM", srtp_profile_aead_aes_128_gcm, 16, 16 },
    { "AEAD_AES_256_GCM", srtp_profile_aead_aes_256_gcm, 16, 16 },
};

#define SSRC_A 0x11223344u
#define SSRC_B 0x55667788u
#define PAYLOAD_LEN 160
#define BUF_LEN 2048
#define GUARD 0xA5

static void fill_key(uint8_t *key, size_t len, uint8_t seed)
{
    for (size_t i = 0; i < len; i++) {
        key[i] = (uint8_t)(seed + i * 7u);
    }
}

static srtp_err_status_t make_session(srtp_t *session,
                                      srtp_profile_t profile,
                                      srtp_ssrc_type_t type,
                                      const uint8_t *keysalt,
                                      bool allow_repeat_tx)
{
    srtp_policy_t policy = NULL;
    srtp_ssrc_t ssrc;
    srtp_err_status_t st;
    size_t key_len = srtp_profile_get_master_key_length(profile);
    size_t salt_len = srtp_profile_get_master_salt_length(profile);

    *session = NULL;
    st = srtp_policy_create(&policy);
    if (st != srtp_err_status_ok) {
        return st;
    }
    ssrc.type = type;
    ssrc.value = 0;
    if ((st = srtp_policy_set_ssrc(policy, ssrc)) == srtp_err_status_ok &&
        (st = srtp_policy_set_profile(policy, profile)) == srtp_err_status_ok &&
        (st = srtp_policy_add_key(policy, keysalt, key_len, keysalt + key_len,
                                  salt_len, NULL, 0)) == srtp_err_status_ok &&
        (st = srtp_policy_set_allow_repeat_tx(policy, allow_repeat_tx)) ==
            srtp_err_status_ok &&
        (st = srtp_policy_set_window_size(policy, 1024)) ==
            srtp_err_status_ok) {
        st = srtp_create(session, policy);
    }
    srtp_policy_destroy(policy);

    return st;
}

static size_t make_rtp(uint8_t *buf, uint16_t seq, uint32_t ssrc)
{
    uint16_t nseq = htons(seq);
    uint32_t nts = htonl(90000u + seq * 3000u);
    uint32_t nssrc = htonl(ssrc);

    buf[0] = 0x80; /* V=2 */
    buf[1] = 96;   /* PT */
    memcpy(buf + 2, &nseq, 2);
    memcpy(buf + 4, &nts, 4);
    memcpy(buf + 8, &nssrc, 4);
    for (size_t i = 0; i < PAYLOAD_LEN; i++) {
        buf[12 + i] = (uint8_t)(seq + i);
    }

    return 12 + PAYLOAD_LEN;
}

/* A 28-byte RTCP sender report without report blocks. */
static size_t make_rtcp(uint8_t *buf, uint32_t ssrc, uint8_t fill)
{
    uint32_t nssrc = htonl(ssrc);

    buf[0] = 0x80; /* V=2, RC=0 */
    buf[1] = 200;  /* SR */
    buf[2] = 0;
    buf[3] = 6; /* length in 32-bit words minus one */
    memcpy(buf + 4, &nssrc, 4);
    for (size_t i = 8; i < 28; i++) {
        buf[i] = (uint8_t)(fill + i);
    }

    return 28;
}

/* Protects RTP `seq` (SSRC_A) with the given session into `out`. */
static srtp_err_status_t protect_seq(srtp_t tx,
                                     uint16_t seq,
                                     uint8_t *out,
                                     size_t *out_len)
{
    uint8_t rtp[BUF_LEN];
    size_t len = make_rtp(rtp, seq, SSRC_A);

    *out_len = BUF_LEN;
    return srtp_protect(tx, rtp, len, out, out_len, 0);
}

static void test_suite(const struct suite *s)
{
    uint8_t keysalt[SRTP_MAX_KEY_LEN];
    uint8_t other_key[SRTP_MAX_KEY_LEN];
    uint8_t plain[BUF_LEN], orig[BUF_LEN], out[BUF_LEN], out2[BUF_LEN],
        dec[BUF_LEN], saved[BUF_LEN];
    size_t plain_len, out_len, out2_len, dec_len, saved_len;
    srtp_t tx = NULL, rx = NULL, tx_norepeat = NULL, rx_wrongkey = NULL;
    size_t key_total = srtp_profile_get_master_key_length(s->profile) +
                       srtp_profile_get_master_salt_length(s->profile);

    current = s->name;
    fill_key(keysalt, key_total, 0x10);
    fill_key(other_key, key_total, 0x99);

    CHECK_STATUS(make_session(&tx, s->profile, ssrc_any_outbound, keysalt, true),
                 srtp_err_status_ok);
    CHECK_STATUS(make_session(&rx, s->profile, ssrc_any_inbound, keysalt, false),
                 srtp_err_status_ok);
    CHECK_STATUS(make_session(&tx_norepeat, s->profile, ssrc_any_outbound,
                              keysalt, false),
                 srtp_err_status_ok);
    CHECK_STATUS(make_session(&rx_wrongkey, s->profile, ssrc_any_inbound,
                              other_key, false),
                 srtp_err_status_ok);
    if (tx == NULL || rx == NULL || tx_norepeat == NULL ||
        rx_wrongkey == NULL) {
        return;
    }

    /* RTP: out-of-place protect, as SrtpSession::EncryptRtp does. */
    plain_len = make_rtp(plain, 1000, SSRC_A);
    memcpy(orig, plain, plain_len);
    out_len = sizeof(out);
    CHECK_STATUS(srtp_protect(tx, plain, plain_len, out, &out_len, 0),
                 srtp_err_status_ok);
    CHECK(out_len == plain_len + s->rtp_tag, "SRTP length %zu, expected %zu",
          out_len, plain_len + s->rtp_tag);
    CHECK(memcmp(plain, orig, plain_len) == 0, "protect modified its input");
    CHECK(memcmp(out, orig, 12) == 0, "RTP header not kept in the clear");
    CHECK(memcmp(out + 12, orig + 12, PAYLOAD_LEN) != 0,
          "payload not encrypted");
    memcpy(saved, out, out_len);
    saved_len = out_len;

    /* In-place unprotect, as SrtpSession::DecryptSrtp does. */
    dec_len = out_len;
    CHECK_STATUS(srtp_unprotect(rx, out, out_len, out, &dec_len),
                 srtp_err_status_ok);
    CHECK(dec_len == plain_len && memcmp(out, orig, plain_len) == 0,
          "RTP round trip mismatch (len %zu)", dec_len);

    /* The same SRTP packet again is a replay. */
    memcpy(out, saved, saved_len);
    dec_len = saved_len;
    CHECK_STATUS(srtp_unprotect(rx, out, saved_len, out, &dec_len),
                 srtp_err_status_replay_fail);

    /* A receiver with another key refuses the packet. */
    memcpy(out, saved, saved_len);
    dec_len = saved_len;
    CHECK_STATUS(srtp_unprotect(rx_wrongkey, out, saved_len, out, &dec_len),
                 srtp_err_status_auth_fail);

    /* Output capacity of exactly packet + tag works and nothing is written
     * past it; one byte less is refused without touching the stream. */
    plain_len = make_rtp(plain, 1001, SSRC_A);
    memset(out, GUARD, sizeof(out));
    out_len = plain_len + s->rtp_tag - 1;
    CHECK_STATUS(srtp_protect(tx, plain, plain_len, out, &out_len, 0),
                 srtp_err_status_buffer_small);
    out_len = plain_len + s->rtp_tag;
    CHECK_STATUS(srtp_protect(tx, plain, plain_len, out, &out_len, 0),
                 srtp_err_status_ok);
    CHECK(out_len == plain_len + s->rtp_tag, "exact-capacity length %zu",
          out_len);
    {
        bool guard_ok = true;
        for (size_t i = plain_len + s->rtp_tag; i < sizeof(out); i++) {
            guard_ok = guard_ok && out[i] == GUARD;
        }
        CHECK(guard_ok, "protect wrote past the output capacity");
    }

    /* Out-of-place unprotect into a separate buffer. */
    memcpy(saved, out, out_len);
    saved_len = out_len;
    dec_len = saved_len - 1;
    CHECK_STATUS(srtp_unprotect(rx, out, saved_len, dec, &dec_len),
                 srtp_err_status_buffer_small);
    dec_len = sizeof(dec);
    CHECK_STATUS(srtp_unprotect(rx, out, saved_len, dec, &dec_len),
                 srtp_err_status_ok);
    CHECK(dec_len == plain_len && memcmp(dec, plain, plain_len) == 0,
          "out-of-place RTP round trip mismatch");
    CHECK(memcmp(out, saved, saved_len) == 0, "unprotect modified its input");

    /* Tampering: a flipped payload bit, a flipped tag bit. */
    CHECK_STATUS(protect_seq(tx, 1002, out, &out_len), srtp_err_status_ok);
    out[20] ^= 0x01;
    dec_len = out_len;
    CHECK_STATUS(srtp_unprotect(rx, out, out_len, out, &dec_len),
                 srtp_err_status_auth_fail);
    CHECK_STATUS(protect_seq(tx, 1003, out, &out_len), srtp_err_status_ok);
    out[out_len - 1] ^= 0x80;
    dec_len = out_len;
    CHECK_STATUS(srtp_unprotect(rx, out, out_len, out, &dec_len),
                 srtp_err_status_auth_fail);
    /* ...and the untampered packet is still accepted afterwards. */
    CHECK_STATUS(protect_seq(tx, 1004, out, &out_len), srtp_err_status_ok);
    dec_len = out_len;
    CHECK_STATUS(srtp_unprotect(rx, out, out_len, out, &dec_len),
                 srtp_err_status_ok);

    /* allow_repeat_tx: the same packet protected twice succeeds (RTP
     * retransmission without RTX); without the flag it is a replay. */
    CHECK_STATUS(protect_seq(tx, 1005, out, &out_len), srtp_err_status_ok);
    CHECK_STATUS(protect_seq(tx, 1005, out2, &out2_len), srtp_err_status_ok);
    CHECK(out_len == out2_len && memcmp(out, out2, out_len) == 0,
          "repeated protect gave a different packet");
    CHECK_STATUS(protect_seq(tx_norepeat, 1005, out, &out_len),
                 srtp_err_status_ok);
    CHECK_STATUS(protect_seq(tx_norepeat, 1005, out2, &out2_len),
                 srtp_err_status_replay_fail);

    /* Sender side, window 1024: after seq 5000+1024, seq 5000 (1024 behind)
     * is too old even with allow_repeat_tx; 1023 behind is still fine. */
    CHECK_STATUS(protect_seq(tx, 5000, out, &out_len), srtp_err_status_ok);
    CHECK_STATUS(protect_seq(tx, 5000 + 1024, out, &out_len),
                 srtp_err_status_ok);
    CHECK_STATUS(protect_seq(tx, 5000, out, &out_len),
                 srtp_err_status_replay_old);
    CHECK_STATUS(protect_seq(tx, 5001, out, &out_len), srtp_err_status_ok);
    CHECK_STATUS(protect_seq(tx, 3000, out, &out_len),
                 srtp_err_status_replay_old);

    /* Receiver side, window 1024: seq 7000+1024 arrives first; seq 7000 is
     * then too old, seq 7001 (1023 behind) is accepted. */
    {
        uint8_t late[BUF_LEN], late2[BUF_LEN];
        size_t late_len, late2_len;

        CHECK_STATUS(protect_seq(tx, 7000, late, &late_len),
                     srtp_err_status_ok);
        CHECK_STATUS(protect_seq(tx, 7001, late2, &late2_len),
                     srtp_err_status_ok);
        CHECK_STATUS(protect_seq(tx, 7000 + 1024, out, &out_len),
                     srtp_err_status_ok);
        dec_len = out_len;
        CHECK_STATUS(srtp_unprotect(rx, out, out_len, out, &dec_len),
                     srtp_err_status_ok);
        dec_len = late_len;
        CHECK_STATUS(srtp_unprotect(rx, late, late_len, late, &dec_len),
                     srtp_err_status_replay_old);
        dec_len = late2_len;
        CHECK_STATUS(srtp_unprotect(rx, late2, late2_len, late2, &dec_len),
                     srtp_err_status_ok);
    }

    /* A second SSRC gets its own stream from the same template. */
    plain_len = make_rtp(plain, 1000, SSRC_B);
    out_len = sizeof(out);
    CHECK_STATUS(srtp_protect(tx, plain, plain_len, out, &out_len, 0),
                 srtp_err_status_ok);
    memcpy(saved, out, out_len);
    saved_len = out_len;
    dec_len = out_len;
    CHECK_STATUS(srtp_unprotect(rx, out, out_len, out, &dec_len),
                 srtp_err_status_ok);
    CHECK(dec_len == plain_len && memcmp(out, plain, plain_len) == 0,
          "second SSRC round trip mismatch");

    /* srtp_stream_remove() (SSRC in network order, as mediasoup passes it)
     * drops the stream and its replay state. */
    CHECK_STATUS(srtp_stream_remove(rx, htonl(SSRC_B)), srtp_err_status_ok);
    CHECK(srtp_stream_remove(rx, htonl(SSRC_B)) != srtp_err_status_ok,
          "removing an unknown stream succeeded");
    memcpy(out, saved, saved_len);
    dec_len = saved_len;
    CHECK_STATUS(srtp_unprotect(rx, out, saved_len, out, &dec_len),
                 srtp_err_status_ok);

    /* RTCP: out-of-place protect, in-place unprotect, exact capacity. */
    plain_len = make_rtcp(plain, SSRC_A, 0x40);
    memcpy(orig, plain, plain_len);
    memset(out, GUARD, sizeof(out));
    out_len = plain_len + 4 + s->rtcp_tag - 1;
    CHECK_STATUS(srtp_protect_rtcp(tx, plain, plain_len, out, &out_len, 0),
                 srtp_err_status_buffer_small);
    out_len = plain_len + 4 + s->rtcp_tag;
    CHECK_STATUS(srtp_protect_rtcp(tx, plain, plain_len, out, &out_len, 0),
                 srtp_err_status_ok);
    CHECK(out_len == plain_len + 4 + s->rtcp_tag,
          "SRTCP length %zu, expected %zu", out_len,
          plain_len + 4 + s->rtcp_tag);
    CHECK(memcmp(plain, orig, plain_len) == 0,
          "protect_rtcp modified its input");
    CHECK(memcmp(out + 8, orig + 8, plain_len - 8) != 0,
          "RTCP payload not encrypted");
    {
        bool guard_ok = true;
        for (size_t i = out_len; i < sizeof(out); i++) {
            guard_ok = guard_ok && out[i] == GUARD;
        }
        CHECK(guard_ok, "protect_rtcp wrote past the output capacity");
    }
    memcpy(saved, out, out_len);
    saved_len = out_len;
    dec_len = out_len;
    CHECK_STATUS(srtp_unprotect_rtcp(rx, out, out_len, out, &dec_len),
                 srtp_err_status_ok);
    CHECK(dec_len == plain_len && memcmp(out, orig, plain_len) == 0,
          "RTCP round trip mismatch");
    memcpy(out, saved, saved_len);
    dec_len = saved_len;
    CHECK_STATUS(srtp_unprotect_rtcp(rx, out, saved_len, out, &dec_len),
                 srtp_err_status_replay_fail);

    /* RTCP out-of-place unprotect, and tampering. */
    plain_len = make_rtcp(plain, SSRC_A, 0x41);
    out_len = sizeof(out);
    CHECK_STATUS(srtp_protect_rtcp(tx, plain, plain_len, out, &out_len, 0),
                 srtp_err_status_ok);
    dec_len = sizeof(dec);
    CHECK_STATUS(srtp_unprotect_rtcp(rx, out, out_len, dec, &dec_len),
                 srtp_err_status_ok);
    CHECK(dec_len == plain_len && memcmp(dec, plain, plain_len) == 0,
          "out-of-place RTCP round trip mismatch");
    plain_len = make_rtcp(plain, SSRC_A, 0x42);
    out_len = sizeof(out);
    CHECK_STATUS(srtp_protect_rtcp(tx, plain, plain_len, out, &out_len, 0),
                 srtp_err_status_ok);
    out[10] ^= 0x04;
    dec_len = out_len;
    CHECK_STATUS(srtp_unprotect_rtcp(rx, out, out_len, out, &dec_len),
                 srtp_err_status_auth_fail);

    /* MKI is refused. */
    plain_len = make_rtp(plain, 9000, SSRC_A);
    out_len = sizeof(out);
    CHECK(srtp_protect(tx, plain, plain_len, out, &out_len, 1) !=
              srtp_err_status_ok,
          "protect with mki_index 1 succeeded");

    CHECK_STATUS(srtp_dealloc(tx), srtp_err_status_ok);
    CHECK_STATUS(srtp_dealloc(rx), srtp_err_status_ok);
    CHECK_STATUS(srtp_dealloc(tx_norepeat), srtp_err_status_ok);
    CHECK_STATUS(srtp_dealloc(rx_wrongkey), srtp_err_status_ok);
}

static void test_policy_errors(void)
{
    srtp_policy_t policy = NULL;
    srtp_t session = NULL;
    srtp_ssrc_t ssrc = { ssrc_any_outbound, 0 };
    uint8_t key[SRTP_MAX_KEY_LEN];
    const uint8_t mki[4] = { 1, 2, 3, 4 };

    current = "policy errors";
    fill_key(key, sizeof(key), 1);

    CHECK_STATUS(srtp_policy_create(NULL), srtp_err_status_bad_param);
    CHECK_STATUS(srtp_policy_create(&policy), srtp_err_status_ok);
    CHECK_STATUS(srtp_policy_set_ssrc(policy, ssrc), srtp_err_status_ok);
    CHECK_STATUS(srtp_policy_set_window_size(policy, 10),
                 srtp_err_status_bad_param);
    CHECK_STATUS(srtp_policy_set_window_size(policy, 1024),
                 srtp_err_status_ok);
    CHECK_STATUS(srtp_policy_set_profile(policy, srtp_profile_reserved),
                 srtp_err_status_bad_param);
    /* No profile and no key yet. */
    CHECK(srtp_create(&session, policy) != srtp_err_status_ok,
          "srtp_create without profile/key succeeded");
    CHECK_STATUS(
        srtp_policy_set_profile(policy, srtp_profile_aes128_cm_sha1_80),
        srtp_err_status_ok);
    CHECK(srtp_policy_add_key(policy, key, 16, key + 16, 14, mki,
                              sizeof(mki)) != srtp_err_status_ok,
          "add_key with an MKI succeeded");
    /* Wrong key length for the profile (GCM-256 sized key). */
    CHECK_STATUS(srtp_policy_add_key(policy, key, 32, key + 32, 12, NULL, 0),
                 srtp_err_status_ok);
    CHECK(srtp_policy_add_key(policy, key, 16, key + 16, 14, NULL, 0) !=
              srtp_err_status_ok,
          "a second master key was accepted");
    CHECK(srtp_create(&session, policy) != srtp_err_status_ok,
          "srtp_create with a wrong key length succeeded");
    srtp_policy_destroy(policy);
    srtp_policy_destroy(NULL); /* no-op */

    /* The 3.0-only error codes are distinct from every 2.x one. */
    CHECK((int)srtp_err_status_buffer_small > (int)srtp_err_status_pkt_idx_adv &&
              srtp_err_status_buffer_small != srtp_err_status_cryptex_err,
          "3.0 error codes collide");
}

int main(void)
{
    CHECK_STATUS(srtp_init(), srtp_err_status_ok);
    printf("srtp-compat-test: %s\n", srtp_get_version_string());

    for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
        int before = failed;

        test_suite(&suites[i]);
        printf("  %-24s %s\n", suites[i].name,
               failed == before ? "ok" : "FAILED");
    }
    test_policy_errors();

    CHECK_STATUS(srtp_shutdown(), srtp_err_status_ok);
    printf("srtp-compat-test: %d passed, %d failed\n", passed, failed);

    return failed == 0 ? 0 : 1;
}
