// Elkan's k-means assignment passes in WebAssembly (SIMD), the same logic and the same
// arithmetic as ElkanShard in src/clusters/elkan.ts: distances sum even coordinates in one lane
// and odd ones in the other, as the JavaScript version's two accumulators do, so both give
// bit-identical distances and labels. Build: packages/core/scripts/build-wasm.sh (Debian clang
// and lld); the output is embedded in src/clusters/elkan-wasm.ts.
//
// All pointers are byte offsets into the imported memory, laid out by the caller.
#include <wasm_simd128.h>

typedef unsigned char u8;
#define EXPORT(name) __attribute__((export_name(name)))

static inline double dist(const double *x, const double *c, int d) {
  v128_t acc = wasm_f64x2_splat(0.0);
  int j = 0;
  for (; j + 1 < d; j += 2) {
    v128_t diff = wasm_f64x2_sub(wasm_v128_load(x + j), wasm_v128_load(c + j));
    acc = wasm_f64x2_add(acc, wasm_f64x2_mul(diff, diff));
  }
  double s0 = wasm_f64x2_extract_lane(acc, 0);
  double s1 = wasm_f64x2_extract_lane(acc, 1);
  if (j < d) {
    double a = x[j] - c[j];
    s0 += a * a;
  }
  return __builtin_sqrt(s0 + s1);
}

static inline void add(const double *x, int c, int d, double sign, int *sizes, double *sums) {
  sizes[c] += (int)sign;
  double *s = sums + c * d;
  for (int j = 0; j < d; j++) s[j] += sign * x[j];
}

EXPORT("assign_first")
void assign_first(const double *X, int n, int d, int k, const double *C, const double *half,
                  int *labels, double *upper, double *lower, u8 *tight, int *sizes, double *sums) {
  for (int i = 0; i < n; i++) {
    const double *x = X + (long)i * d;
    double *row = lower + (long)i * k;
    int best = 0;
    double bestDist = dist(x, C, d);
    row[0] = bestDist;
    for (int c = 1; c < k; c++) {
      double h = half[best * k + c];
      if (bestDist <= h) {
        row[c] = 2 * h - bestDist;
        continue;
      }
      double v = dist(x, C + c * d, d);
      row[c] = v;
      if (v < bestDist) {
        bestDist = v;
        best = c;
      }
    }
    labels[i] = best;
    upper[i] = bestDist;
    tight[i] = 1;
    add(x, best, d, 1.0, sizes, sums);
  }
}

EXPORT("step")
int step(const double *X, int n, int d, int k, const double *C, const double *half,
         const double *nearest, const double *drift, double slack, int *labels, double *upper,
         double *lower, u8 *tight, int *sizes, double *sums) {
  int changed = 0;
  for (int i = 0; i < n; i++) {
    int a = labels[i];
    double u = upper[i] + drift[a] + slack;
    if (u <= nearest[a]) continue;
    const double *x = X + (long)i * d;
    double *row = lower + (long)i * k;
    if ((k & 1) == 0) {
      // Which centres the bounds cannot rule out, two at a time and without branches: most
      // points have none, and then cost no branch per centre.
      v128_t us = wasm_f64x2_splat(u);
      v128_t sl = wasm_f64x2_splat(slack);
      const double *h = half + a * k;
      int open = 0;
      for (int c = 0; c < k; c += 2) {
        v128_t l = wasm_f64x2_sub(wasm_f64x2_sub(wasm_v128_load(row + c), wasm_v128_load(drift + c)), sl);
        v128_t keep = wasm_v128_and(wasm_f64x2_gt(us, l), wasm_f64x2_gt(us, wasm_v128_load(h + c)));
        open |= wasm_i64x2_bitmask(keep) << c;
      }
      if ((open & ~(1 << a)) == 0) continue;
    }
    int isTight = tight[i];
    if (isTight) u -= slack;
    int from = a;
    for (int c = 0; c < k; c++) {
      if (c == a) continue;
      double l = row[c] - drift[c] - slack;
      if (u <= l || u <= half[a * k + c]) continue;
      if (!isTight) {
        u = dist(x, C + a * d, d);
        row[a] = u + drift[a];
        isTight = 1;
        if (u <= nearest[a]) break;
        if (u <= l || u <= half[a * k + c]) continue;
      }
      double v = dist(x, C + c * d, d);
      row[c] = v + drift[c];
      if (v < u || (v == u && c < a)) {
        a = c;
        u = v;
      }
    }
    if (isTight) {
      upper[i] = u - drift[a];
      tight[i] = 1;
    }
    if (a != from) {
      labels[i] = a;
      add(x, from, d, -1.0, sizes, sums);
      add(x, a, d, 1.0, sizes, sums);
      changed++;
    }
  }
  return changed;
}
