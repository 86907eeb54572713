/*
 * The access stream of the validation workload, shared by the plain process (workload.c) and the KVM guest
 * (kvm-guest.c, whose guest code calls these functions inlined): xoshiro256** seeded by SplitMix64; uniform, Zipf
 * (Vose's alias table, rank r with probability proportional to 1/(r+1)^alpha, as HvSim's ZipfSampler) and hot/cold
 * streams; ranks and the hot set scattered over the pages by a seeded Fisher-Yates permutation.
 * The sampling functions use no constant from memory (the scale 2^-53 is a field), so their inlined copies in the
 * guest code section need nothing outside it.
 */
#ifndef HVSIM_STREAM_H
#define HVSIM_STREAM_H
#include <stdint.h>

enum pattern { UNIFORM = 0, ZIPF = 1, HOTCOLD = 2 };

struct stream {
    uint64_t s[4];
    uint32_t pages, hot_pages, pattern, pad;
    double hot_access, store, scale; /* scale = 2^-53 */
    const double *prob;              /* Zipf alias table: probability of the own column ... */
    const uint32_t *alias;           /* ... and the alias taken otherwise */
    const uint32_t *layout;          /* rank (or hot/cold index) -> page */
};

#define STREAM_INLINE static inline __attribute__((always_inline))

STREAM_INLINE uint64_t stream_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

STREAM_INLINE uint64_t stream_next(struct stream *st)
{
    uint64_t *s = st->s, r = stream_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = stream_rotl(s[3], 45);
    return r;
}

/* Uniform in [0, 1). */
STREAM_INLINE double stream_unit(struct stream *st) { return (double)(int64_t)(stream_next(st) >> 11) * st->scale; }

/* Uniform in [0, n), n < 2^31. */
STREAM_INLINE uint32_t stream_below(struct stream *st, uint32_t n) { return (uint32_t)(int64_t)(stream_unit(st) * (double)(int32_t)n); }

/* The next page of the stream. */
STREAM_INLINE uint32_t stream_page(struct stream *st)
{
    if (st->pattern == UNIFORM) return stream_below(st, st->pages);
    if (st->pattern == ZIPF) {
        double u = stream_unit(st) * (double)(int32_t)st->pages;
        uint32_t c = (uint32_t)(int64_t)u;
        if (c >= st->pages) c = st->pages - 1;
        return st->layout[u - (double)(int32_t)c < st->prob[c] ? c : st->alias[c]];
    }
    if (stream_unit(st) < st->hot_access) return st->layout[stream_below(st, st->hot_pages)];
    return st->layout[st->hot_pages + stream_below(st, st->pages - st->hot_pages)];
}

/* Whether the next access is a store. */
STREAM_INLINE int stream_store(struct stream *st) { return stream_unit(st) < st->store; }

#ifndef STREAM_GUEST_ONLY
#include <math.h>
#include <stdlib.h>

/* Seeds the generator and builds the layout and, for Zipf, the alias table (host side, with malloc and libm). */
static int stream_init(struct stream *st, enum pattern pattern, uint32_t pages, double alpha, double hot_page, double hot_access,
                       double store, uint64_t seed)
{
    *st = (struct stream){.pages = pages, .pattern = pattern, .hot_access = hot_access, .store = store, .scale = 0x1.0p-53};
    for (int i = 0; i < 4; i++) { /* SplitMix64 */
        uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        st->s[i] = z ^ (z >> 31);
    }
    uint32_t *layout = malloc(pages * sizeof *layout);
    if (!layout) return -1;
    for (uint32_t i = 0; i < pages; i++) layout[i] = i;
    for (uint32_t i = pages - 1; i > 0; i--) {
        uint32_t j = stream_below(st, i + 1), t = layout[i];
        layout[i] = layout[j]; layout[j] = t;
    }
    st->layout = layout;
    st->hot_pages = (uint32_t)fmax(1, fmin(pages, ceil(hot_page * pages)));
    if (pattern != ZIPF) return 0;
    double *w = malloc(pages * sizeof *w), *prob = malloc(pages * sizeof *prob), sum = 0;
    uint32_t *alias = malloc(pages * sizeof *alias), *small = malloc(pages * sizeof *small), *large = malloc(pages * sizeof *large);
    uint32_t ns = 0, nl = 0;
    if (!w || !prob || !alias || !small || !large) return -1;
    for (uint32_t r = pages; r-- > 0;) sum += (w[r] = pow(r + 1.0, -alpha)); /* smallest terms first */
    for (uint32_t r = 0; r < pages; r++) {
        w[r] = w[r] * pages / sum;
        if (w[r] < 1) small[ns++] = r; else large[nl++] = r;
    }
    while (ns > 0 && nl > 0) {
        uint32_t sm = small[--ns], lg = large[--nl];
        prob[sm] = w[sm]; alias[sm] = lg;
        w[lg] += w[sm] - 1;
        if (w[lg] < 1) small[ns++] = lg; else large[nl++] = lg;
    }
    while (nl > 0) prob[large[--nl]] = 1;
    while (ns > 0) prob[small[--ns]] = 1;
    free(w); free(small); free(large);
    st->prob = prob; st->alias = alias;
    return 0;
}
#endif
#endif
