/*
 * srtp.h: the libsrtp 3.0 API that mediasoup 3.27 uses, on top of libsrtp 2.x.
 *
 * mediasoup's worker is written against versatica's libsrtp 3.0 fork
 * (worker/subprojects/libsrtp3.wrap). Debian only ships libsrtp 2.x
 * (libsrtp2-dev). This header stands in for the 3.0 <srtp.h>: it includes
 * Debian's <srtp2/srtp.h> and maps the 3.0 names that mediasoup uses onto the
 * srtp3compat_* functions of srtp3_compat.c, which wrap the 2.x calls.
 *
 * What differs between the two APIs, and how it is bridged:
 *  - 3.0 makes srtp_policy_t an opaque handle with setters
 *    (srtp_policy_create/set_ssrc/set_profile/add_key/set_allow_repeat_tx/
 *    set_window_size/destroy). 2.x uses a plain struct of the same name, so
 *    that struct stays reachable as srtp3compat_v2_policy_t and the name
 *    srtp_policy_t is redefined (macro) as the compat handle.
 *  - 3.0 protect/unprotect take const input, a separate output buffer, an
 *    in/out output length (capacity in, used length out) and size_t lengths;
 *    2.x works in place with an int length. The wrappers copy to the output
 *    buffer (when it differs from the input) and call the in-place 2.x form.
 *  - 3.0 renamed srtp_remove_stream() to srtp_stream_remove().
 *  - 3.0 added srtp_err_status_buffer_small and srtp_err_status_cryptex_err.
 *    They get values 30 and 31 here: above every 2.x code (2.5 ends at 27)
 *    and still inside the enum's value range (0..31) for C++.
 *
 * Not supported (refused with srtp_err_status_bad_param / bad_mki): MKI, more
 * than one master key per policy, cryptex, header-extension encryption.
 * mediasoup uses none of them.
 *
 * Part of the huijian project's mediasoup worker build (deploy/worker/).
 */
#ifndef HUIJIAN_SRTP3_COMPAT_H
#define HUIJIAN_SRTP3_COMPAT_H

#include <srtp2/srtp.h>

#include <stddef.h>
#include <stdint.h>
#ifndef __cplusplus
#include <stdbool.h>
#endif

/* The 2.x policy struct, under a name that survives the macros below. */
typedef srtp_policy_t srtp3compat_v2_policy_t;

#ifdef __cplusplus
extern "C" {
#endif

/* Opaque 3.0-style policy handle. */
typedef struct srtp3compat_policy_ctx *srtp3compat_policy_t;

srtp_err_status_t srtp3compat_policy_create(srtp3compat_policy_t *policy);
void srtp3compat_policy_destroy(srtp3compat_policy_t policy);
srtp_err_status_t srtp3compat_policy_set_ssrc(srtp3compat_policy_t policy,
                                              srtp_ssrc_t ssrc);
srtp_err_status_t srtp3compat_policy_set_profile(srtp3compat_policy_t policy,
                                                 srtp_profile_t profile);
srtp_err_status_t srtp3compat_policy_add_key(srtp3compat_policy_t policy,
                                             const uint8_t *key,
                                             size_t key_len,
                                             const uint8_t *salt,
                                             size_t salt_len,
                                             const uint8_t *mki,
                                             size_t mki_len);
srtp_err_status_t srtp3compat_policy_set_allow_repeat_tx(
    srtp3compat_policy_t policy,
    bool allow);
srtp_err_status_t srtp3compat_policy_set_window_size(
    srtp3compat_policy_t policy,
    size_t window_size);

srtp_err_status_t srtp3compat_create(srtp_t *session,
                                     srtp3compat_policy_t policy);

srtp_err_status_t srtp3compat_protect(srtp_t ctx,
                                      const uint8_t *rtp,
                                      size_t rtp_len,
                                      uint8_t *srtp,
                                      size_t *srtp_len,
                                      size_t mki_index);
srtp_err_status_t srtp3compat_unprotect(srtp_t ctx,
                                        const uint8_t *srtp,
                                        size_t srtp_len,
                                        uint8_t *rtp,
                                        size_t *rtp_len);
srtp_err_status_t srtp3compat_protect_rtcp(srtp_t ctx,
                                           const uint8_t *rtcp,
                                           size_t rtcp_len,
                                           uint8_t *srtcp,
                                           size_t *srtcp_len,
                                           size_t mki_index);
srtp_err_status_t srtp3compat_unprotect_rtcp(srtp_t ctx,
                                             const uint8_t *srtcp,
                                             size_t srtcp_len,
                                             uint8_t *rtcp,
                                             size_t *rtcp_len);

srtp_err_status_t srtp3compat_stream_remove(srtp_t session, uint32_t ssrc);

#ifdef __cplusplus
}
#endif

/* Error codes that 3.0 added (see the note at the top). */
#define SRTP3COMPAT_ERR_BUFFER_SMALL ((srtp_err_status_t)30)
#define SRTP3COMPAT_ERR_CRYPTEX ((srtp_err_status_t)31)

/* The 3.0 names. Left out when compiling the compat layer itself, which has
 * to call the real 2.x functions of the same names. */
#ifndef SRTP3COMPAT_IMPLEMENTATION
#define srtp_policy_t srtp3compat_policy_t
#define srtp_policy_create srtp3compat_policy_create
#define srtp_policy_destroy srtp3compat_policy_destroy
#define srtp_policy_set_ssrc srtp3compat_policy_set_ssrc
#define srtp_policy_set_profile srtp3compat_policy_set_profile
#define srtp_policy_add_key srtp3compat_policy_add_key
#define srtp_policy_set_allow_repeat_tx srtp3compat_policy_set_allow_repeat_tx
#define srtp_policy_set_window_size srtp3compat_policy_set_window_size
#define srtp_create srtp3compat_create
#define srtp_protect srtp3compat_protect
#define srtp_unprotect srtp3compat_unprotect
#define srtp_protect_rtcp srtp3compat_protect_rtcp
#define srtp_unprotect_rtcp srtp3compat_unprotect_rtcp
#define srtp_stream_remove srtp3compat_stream_remove
#define srtp_err_status_buffer_small SRTP3COMPAT_ERR_BUFFER_SMALL
#define srtp_err_status_cryptex_err SRTP3COMPAT_ERR_CRYPTEX
#endif

#endif /* HUIJIAN_SRTP3_COMPAT_H */
