# Peer for `pnpm bench ann`: hnswlib (Debian's python3-hnswlib) HNSW on the same float32
# data, single-threaded (wall and process CPU time), with the same M, efConstruction and efSearch values. Reads the raw
# little-endian float32 files written by bench/ann.mjs, writes the found ids (int32) per
# efSearch, prints one JSON object on its last line.
import json
import sys
import time

import hnswlib
import numpy as np

REPEATS = 7  # best of 7: the minimum is what survives a busy machine

base_path, query_path, dim, k, m, ef_construction, efs, out_prefix = sys.argv[1:9]
dim, k, m, ef_construction = int(dim), int(k), int(m), int(ef_construction)
efs = [int(x) for x in efs.split(",")]
base = np.fromfile(base_path, dtype="<f4").reshape(-1, dim)
queries = np.fromfile(query_path, dtype="<f4").reshape(-1, dim)

index = hnswlib.Index(space="l2", dim=dim)
index.set_num_threads(1)
c0 = time.process_time()
t0 = time.perf_counter()
index.init_index(max_elements=base.shape[0], M=m, ef_construction=ef_construction, random_seed=100)
index.add_items(base, np.arange(base.shape[0]), num_threads=1)
build = time.perf_counter() - t0
build_cpu = time.process_time() - c0

runs = []
for ef in efs:
    index.set_ef(ef)
    index.knn_query(queries[:32], k=k, num_threads=1)  # warm-up
    best = None
    best_cpu = None
    for _ in range(REPEATS):
        c0 = time.process_time()
        t0 = time.perf_counter()
        ids, _ = index.knn_query(queries, k=k, num_threads=1)
        s = time.perf_counter() - t0
        c = time.process_time() - c0
        best = s if best is None else min(best, s)
        best_cpu = c if best_cpu is None else min(best_cpu, c)
    ids.astype("<i4").tofile(f"{out_prefix}{ef}.i32")
    runs.append({"efSearch": ef, "seconds": best, "qps": queries.shape[0] / best, "cpuQps": queries.shape[0] / best_cpu})

version = getattr(hnswlib, "__version__", None)
print(json.dumps({"library": "hnswlib", "version": version, "build": build, "buildCpu": build_cpu, "runs": runs}))
