/* rng.h - the project's own deterministic random numbers: xoshiro256** seeded
 * through splitmix64, with a Box-Muller normal sampler. Same seed, same stream,
 * on every machine: this is what makes a demo replayable. */
#ifndef GS_RNG_H
#define GS_RNG_H

#include <stdint.h>

typedef struct rng {
    uint64_t s[4];
    float spare; /* second Box-Muller value, valid when has_spare */
    int has_spare;
} rng;

void rng_seed(rng *r, uint64_t seed);
uint64_t rng_u64(rng *r);
/* Uniform in [0, 1). */
float rng_uniform(rng *r);
/* Uniform integer in [0, n), n > 0, without modulo bias. */
uint32_t rng_below(rng *r, uint32_t n);
/* Standard normal. */
float rng_normal(rng *r);
/* Fills out[0..n) with N(0, std^2). */
void rng_fill_normal(rng *r, float *out, long n, float std);

#endif
