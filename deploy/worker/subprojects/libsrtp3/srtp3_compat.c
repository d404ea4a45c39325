/*
 * srtp3_compat.c: libsrtp 3.0 API subset (see srtp.h) over libsrtp 2.x.
 *
 * Written for the huijian project's mediasoup worker build
 * (deploy/worker/build-worker.sh); tested by deploy/worker/test/
 * srtp-compat-test.c, which the build runs before linking the worker.
 */
#define _DEFAULT_SOURCE /* explicit_bzero() */
#define SRTP3COMPAT_IMPLEMENTATION
#include "srtp.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* SRTCP adds a 4-byte E-flag/index word before the auth tag. */
#define SRTCP_INDEX_LEN 4

/* 2.x only accepts replay windows in [64, 0x8000) (0 means its default). */
#define V2_WINDOW_MIN 64
#define V2_WINDOW_MAX 0x7fff

struct srtp3compat_policy_ctx {
    srtp3compat_v2_policy_t v2; /* the 2.x policy handed to srtp_create() */
    srtp_profile_t profile;
    bool has_profile;
    bool has_key;
    size_t key_len;  /* master key length */
    size_t salt_len; /* master salt length */
    /* 2.x wants the master key immediately followed by the master salt. */
    uint8_t key_salt[SRTP_MAX_KEY_LEN];
};

srtp_err_status_t srtp3compat_policy_create(srtp3compat_policy_t *policy)
{
    struct srtp3compat_policy_ctx *p;

    if (policy == NULL) {
        return srtp_err_status_bad_param;
    }
    *policy = NULL;

    p = calloc(1, sizeof(*p));
    if (p == NULL) {
        return srtp_err_status_alloc_fail;
    }
    /* calloc() gave: ssrc_undefined, window 0 (2.x default, 128), no repeat
     * tx, no header-extension encryption, no MKI keys, next = NULL. */
    *policy = p;

    return srtp_err_status_ok;
}

void srtp3compat_policy_destroy(srtp3compat_policy_t policy)
{
    if (policy == NULL) {
        return;
    }
    explicit_bzero(policy, sizeof(*policy)); /* wipes the key material too */
    free(policy);
}

srtp_err_status_t srtp3compat_policy_set_ssrc(srtp3compat_policy_t policy,
                                              srtp_ssrc_t ssrc)
{
    if (policy == NULL) {
        return srtp_err_status_bad_param;
    }
    switch (ssrc.type) {
    case ssrc_specific:
    case ssrc_any_inbound:
    case ssrc_any_outbound:
        break;
    default:
        return srtp_err_status_bad_param;
    }
    policy->v2.ssrc = ssrc;

    return srtp_err_status_ok;
}

srtp_err_status_t srtp3compat_policy_set_profile(srtp3compat_policy_t policy,
                                                 srtp_profile_t profile)
{
    srtp_crypto_policy_t rtp;
    srtp_crypto_policy_t rtcp;

    if (policy == NULL || profile == srtp_profile_reserved) {
        return srtp_err_status_bad_param;
    }
    /* Fill temporaries first so that a refused profile changes nothing. */
    memset(&rtp, 0, sizeof(rtp));
    memset(&rtcp, 0, sizeof(rtcp));
    if (srtp_crypto_policy_set_from_profile_for_rtp(&rtp, profile) !=
            srtp_err_status_ok ||
        srtp_crypto_policy_set_from_profile_for_rtcp(&rtcp, profile) !=
            srtp_err_status_ok) {
        return srtp_err_status_bad_param;
    }
    policy->v2.rtp = rtp;
    policy->v2.rtcp = rtcp;
    policy->profile = profile;
    policy->has_profile = true;

    return srtp_err_status_ok;
}

srtp_err_status_t srtp3compat_policy_add_key(srtp3compat_policy_t policy,
                                             const uint8_t *key,
                                             size_t key_len,
                                             const uint8_t *salt,
                                             size_t salt_len,
                                             const uint8_t *mki,
                                             size_t mki_len)
{
    if (policy == NULL || key == NULL || key_len == 0 ||
        (salt == NULL && salt_len != 0)) {
        return srtp_err_status_bad_param;
    }
    /* One master key without MKI is all this layer supports. */
    if (mki != NULL || mki_len != 0 || policy->has_key) {
        return srtp_err_status_bad_param;
    }
    if (key_len > sizeof(policy->key_salt) ||
        salt_len > sizeof(policy->key_salt) - key_len) {
        return srtp_err_status_bad_param;
    }
    memcpy(policy->key_salt, key, key_len);
    if (salt_len != 0) {
        memcpy(policy->key_salt + key_len, salt, salt_len);
    }
    policy->key_len = key_len;
    policy->salt_len = salt_len;
    policy->has_key = true;

    return srtp_err_status_ok;
}

srtp_err_status_t srtp3compat_policy_set_allow_repeat_tx(
    srtp3compat_policy_t policy,
    bool allow)
{
    if (policy == NULL) {
        return srtp_err_status_bad_param;
    }
    policy->v2.allow_repeat_tx = allow ? 1 : 0;

    return srtp_err_status_ok;
}

srtp_err_status_t srtp3compat_policy_set_window_size(
    srtp3compat_policy_t policy,
    size_t window_size)
{
    if (policy == NULL ||
        (window_size != 0 &&
         (window_size < V2_WINDOW_MIN || window_size > V2_WINDOW_MAX))) {
        return srtp_err_status_bad_param;
    }
    policy->v2.window_size = (unsigned long)window_size;

    return srtp_err_status_ok;
}

srtp_err_status_t srtp3compat_create(srtp_t *session,
                                     srtp3compat_policy_t policy)
{
    srtp3compat_v2_policy_t v2;
    srtp_err_status_t status;

    if (session == NULL) {
        return srtp_err_status_bad_param;
    }
    if (policy == NULL) {
        /* 3.0 allows an empty session (streams added later); so does 2.x. */
        return srtp_create(session, NULL);
    }
    if (!policy->has_profile || !policy->has_key) {
        return srtp_err_status_bad_param;
    }
    /* The key material must be exactly what the profile asks for. */
    if (policy->key_len != srtp_profile_get_master_key_length(policy->profile) ||
        policy->salt_len !=
            srtp_profile_get_master_salt_length(policy->profile)) {
        return srtp_err_status_bad_param;
    }

    v2 = policy->v2;
    v2.key = policy->key_salt;
    v2.keys = NULL;
    v2.num_master_keys = 0;
    v2.next = NULL;

    /* 2.x derives the session keys here; it keeps no pointer to v2.key. */
    status = srtp_create(session, &v2);
    explicit_bzero(&v2, sizeof(v2));

    return status;
}

/*
 * Out-of-place protect on top of 2.x's in-place one. `capacity` is the 3.0
 * in/out length: the size of `out` on entry, the protected length on return.
 */
static srtp_err_status_t protect_common(srtp_t ctx,
                                        const uint8_t *in,
                                        size_t in_len,
                                        uint8_t *out,
                                        size_t *capacity,
                                        size_t mki_index,
                                        bool rtcp)
{
    uint32_t trailer = 0;
    srtp_err_status_t status;
    int len;

    if (ctx == NULL || in == NULL || out == NULL || capacity == NULL) {
        return srtp_err_status_bad_param;
    }
    if (mki_index != 0) {
        return srtp_err_status_bad_mki; /* no MKI support (see srtp.h) */
    }
    if (in_len > (size_t)INT_MAX - SRTP_MAX_TRAILER_LEN - SRTCP_INDEX_LEN) {
        return srtp_err_status_bad_param;
    }

    /* 2.x appends the trailer in place: make sure `out` has room for it. */
    status = rtcp ? srtp_get_protect_rtcp_trailer_length(ctx, 0, 0, &trailer)
                  : srtp_get_protect_trailer_length(ctx, 0, 0, &trailer);
    if (status != srtp_err_status_ok) {
        /* No stream to ask (e.g. empty session): assume the worst case. */
        trailer = SRTP_MAX_TRAILER_LEN + (rtcp ? SRTCP_INDEX_LEN : 0);
    }
    if (*capacity < in_len + trailer) {
        return SRTP3COMPAT_ERR_BUFFER_SMALL;
    }

    if (out != in) {
        memmove(out, in, in_len);
    }
    len = (int)in_len;
    status = rtcp ? srtp_protect_rtcp(ctx, out, &len)
                  : srtp_protect(ctx, out, &len);
    if (status != srtp_err_status_ok) {
        return status;
    }
    *capacity = (size_t)len;

    return srtp_err_status_ok;
}

/* Out-of-place unprotect on top of 2.x's in-place one (see protect_common). */
static srtp_err_status_t unprotect_common(srtp_t ctx,
                                          const uint8_t *in,
                                          size_t in_len,
                                          uint8_t *out,
                                          size_t *capacity,
                                          bool rtcp)
{
    srtp_err_status_t status;
    int len;

    if (ctx == NULL || in == NULL || out == NULL || capacity == NULL) {
        return srtp_err_status_bad_param;
    }
    if (in_len > (size_t)INT_MAX) {
        return srtp_err_status_bad_param;
    }
    if (out != in) {
        /* 2.x decrypts in place, so `out` must hold the whole packet. */
        if (*capacity < in_len) {
            return SRTP3COMPAT_ERR_BUFFER_SMALL;
        }
        memmove(out, in, in_len);
    }
    len = (int)in_len;
    status = rtcp ? srtp_unprotect_rtcp(ctx, out, &len)
                  : srtp_unprotect(ctx, out, &len);
    if (status != srtp_err_status_ok) {
        return status;
    }
    *capacity = (size_t)len;

    return srtp_err_status_ok;
}

srtp_err_status_t srtp3compat_protect(srtp_t ctx,
                                      const uint8_t *rtp,
                                      size_t rtp_len,
                                      uint8_t *srtp,
                                      size_t *srtp_len,
                                      size_t mki_index)
{
    return protect_common(ctx, rtp, rtp_len, srtp, srtp_len, mki_index, false);
}

srtp_err_status_t srtp3compat_unprotect(srtp_t ctx,
                                        const uint8_t *srtp,
                                        size_t srtp_len,
                                        uint8_t *rtp,
                                        size_t *rtp_len)
{
    return unprotect_common(ctx, srtp, srtp_len, rtp, rtp_len, false);
}

srtp_err_status_t srtp3compat_protect_rtcp(srtp_t ctx,
                                           const uint8_t *rtcp,
                                           size_t rtcp_len,
                                           uint8_t *srtcp,
                                           size_t *srtcp_len,
                                           size_t mki_index)
{
    return protect_common(ctx, rtcp, rtcp_len, srtcp, srtcp_len, mki_index,
                          true);
}

srtp_err_status_t srtp3compat_unprotect_rtcp(srtp_t ctx,
                                             const uint8_t *srtcp,
                                             size_t srtcp_len,
                                             uint8_t *rtcp,
                                             size_t *rtcp_len)
{
    return unprotect_common(ctx, srtcp, srtcp_len, rtcp, rtcp_len, true);
}

srtp_err_status_t srtp3compat_stream_remove(srtp_t session, uint32_t ssrc)
{
    /* Same meaning in both versions: `ssrc` in network byte order. */
    return srtp_remove_stream(session, ssrc);
}
