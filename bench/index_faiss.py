# Side-by-side baseline for `pnpm bench index`: faiss IndexFlatL2 (exact, squared L2) on the
# same float32 data, single-threaded. Reads raw little-endian float32 files written by
# bench/index.mjs; prints one JSON object on its last line.
import json
import sys
import time

import faiss
import numpy as np

ref_path, query_path, dim, k, out_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
faiss.omp_set_num_threads(1)
ref = np.fromfile(ref_path, dtype="<f4").reshape(-1, dim)
queries = np.fromfile(query_path, dtype="<f4").reshape(-1, dim)
index = faiss.IndexFlatL2(dim)
index.add(ref)
index.search(queries[:32], k)  # warm-up
t0 = time.perf_counter()
_, ids = index.search(queries, k)
seconds = time.perf_counter() - t0
ids.astype("<i4").tofile(out_path)
print(json.dumps({"faiss": faiss.__version__, "queries": int(queries.shape[0]), "seconds": seconds, "qps": queries.shape[0] / seconds}))
