"""pytorch-metric-learning peer of `pnpm bench quality` (bench/quality.mjs): the same
class-disjoint Fashion-MNIST protocol, trained with PML's own losses, miners and sampler.

Protocol: train split, classes 0-4 (30,000 images); test split, classes 5-9 (5,000 images),
self-retrieval; conv 3x3 32 + max-pool, conv 3x3 64 + max-pool, dense 128 (valid padding,
ReLU); weights Glorot-uniform and biases zero, as tfjs-layers' defaults (PyTorch's own
default is Kaiming-uniform with a fan-in bias, so it is replaced); Adam lr 1e-3; batches of
128 from MPerClassSampler(m=32, length_before_new_iter=len(train)): 4 classes of 32 (5
training classes allow at most 4 per batch of 128 with m dividing 128), 234 batches per
epoch; 5 epochs. Evaluation: the test images' embeddings, L2-normalised, PML's
AccuracyCalculator (precision_at_1, mean_average_precision_at_r, k="max_bin_count") with an
exact torch k-NN (CustomKNN(LpDistance())) since faiss is not installed.

Needs Debian's python3-torch and pytorch-metric-learning (`/usr/bin/python3 -m pip install
--no-deps --break-system-packages pytorch-metric-learning`; a dev-machine benchmark peer,
never a dependency of emb). PML imports scipy, tqdm and scikit-learn at module level but
the parts used here never call them, so light stand-ins are installed when they are missing.

Usage: python3 bench/quality_pml.py [epochs=5] [configs=untrained,contrastive,triplet,margin,ms]
       [trainPerClass=0 (all)] [seed=0]
Prints one JSON line per configuration, then one summary JSON line.
"""

import gzip
import json
import os
import sys
import time
import types

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def _stub_missing_modules():
    def stub(name, **attrs):
        try:
            __import__(name)
        except ModuleNotFoundError:
            mod = types.ModuleType(name)
            for k, v in attrs.items():
                setattr(mod, k, v)
            sys.modules[name] = mod
            return mod
        return None

    def unavailable(*_args, **_kwargs):
        raise RuntimeError("not available in this benchmark (stand-in module)")

    scipy = stub("scipy")
    if scipy is not None:
        scipy.stats = types.ModuleType("scipy.stats")
        scipy.stats.rankdata = unavailable
        scipy.special = types.ModuleType("scipy.special")
        sys.modules["scipy.stats"] = scipy.stats
        sys.modules["scipy.special"] = scipy.special
    stub("tqdm", tqdm=unavailable)
    sk = stub("sklearn")
    if sk is not None:
        sk.metrics = types.ModuleType("sklearn.metrics")
        sk.metrics.adjusted_mutual_info_score = unavailable
        sk.metrics.normalized_mutual_info_score = unavailable
        sys.modules["sklearn.metrics"] = sk.metrics


_stub_missing_modules()
import pytorch_metric_learning  # noqa: E402
from pytorch_metric_learning import distances, losses, miners, samplers  # noqa: E402
from pytorch_metric_learning.utils.accuracy_calculator import AccuracyCalculator  # noqa: E402
from pytorch_metric_learning.utils.inference import CustomKNN  # noqa: E402

THREADS = 2
torch.set_num_threads(THREADS)

EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
CONFIGS = (sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else "untrained,contrastive,triplet,margin,ms").split(",")
TRAIN_PER_CLASS = int(sys.argv[3]) if len(sys.argv) > 3 else 0
SEED = int(sys.argv[4]) if len(sys.argv) > 4 else 0
BATCH = 128
M = 32
DIR = os.environ.get("EMB_FASHION_MNIST_DIR") or "/usr/share/datasets/fashion-mnist"
# Initial weights written by bench/quality.mjs (the emb network's, tfjs layout): both sides then
# start every configuration from the very same network.
INIT = os.environ.get("QUALITY_INIT")


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(base):
    for name in (base + ".gz", base):
        p = os.path.join(DIR, name)
        if os.path.exists(p):
            return p
    raise FileNotFoundError(f"{base} not in {DIR}: apt-get install dataset-fashion-mnist")


def load(split, classes, per_class=0):
    prefix = "train" if split == "train" else "t10k"
    x = read_idx(find(f"{prefix}-images-idx3-ubyte"))
    y = read_idx(find(f"{prefix}-labels-idx1-ubyte")).astype(np.int64)
    keep = np.isin(y, classes)
    if per_class:
        # The first `per_class` rows of each class, in file order (as emb's takePerClass).
        keep_idx = np.concatenate([np.flatnonzero(y == c)[:per_class] for c in classes])
        keep = np.zeros_like(keep)
        keep[keep_idx] = True
    x = torch.from_numpy(x[keep].astype(np.float32) / 255.0).unsqueeze(1)  # [N, 1, 28, 28] in [0, 1]
    return x, torch.from_numpy(y[keep])


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.fc = nn.Linear(64 * 5 * 5, 128)
        for layer in (self.conv1, self.conv2, self.fc):
            # tfjs-layers' defaults: glorotUniform kernels (fan_in = k*k*cin, fan_out = k*k*cout), zero biases.
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)

    def load_tfjs_weights(self, path):
        with open(path) as f:
            w = [torch.tensor(t["data"], dtype=torch.float32).reshape(t["shape"]) for t in json.load(f)]
        with torch.no_grad():
            # Conv kernels: tfjs [h, w, in, out] -> torch [out, in, h, w].
            self.conv1.weight.copy_(w[0].permute(3, 2, 0, 1))
            self.conv1.bias.copy_(w[1])
            self.conv2.weight.copy_(w[2].permute(3, 2, 0, 1))
            self.conv2.bias.copy_(w[3])
            # Dense: tfjs flattens NHWC (row (h*5 + w)*64 + c) and stores [in, out]; torch
            # flattens NCHW (column c*25 + h*5 + w) and stores [out, in].
            self.fc.weight.copy_(w[4].reshape(5, 5, 64, 128).permute(3, 2, 0, 1).reshape(128, 1600))
            self.fc.bias.copy_(w[5])

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(torch.flatten(x, 1))


def make(config):
    if config == "contrastive":
        return losses.ContrastiveLoss(), None
    if config == "triplet":
        return losses.TripletMarginLoss(margin=0.2), miners.TripletMarginMiner(margin=0.2, type_of_triplets="semihard")
    if config == "margin":
        return losses.MarginLoss(), miners.DistanceWeightedMiner()
    if config == "ms":
        return losses.MultiSimilarityLoss(), miners.MultiSimilarityMiner()
    raise ValueError(config)


def embed(model, x):
    model.eval()
    with torch.no_grad():
        out = torch.cat([model(x[i : i + 500]) for i in range(0, len(x), 500)])
    model.train()
    return F.normalize(out, p=2, dim=1)


calculator = AccuracyCalculator(
    include=("precision_at_1", "mean_average_precision_at_r"),
    k="max_bin_count",
    knn_func=CustomKNN(distances.LpDistance(normalize_embeddings=True)),
)


def evaluate(model, qx, qy):
    e = embed(model, qx)
    acc = calculator.get_accuracy(e, qy, ref_includes_query=True)
    return {"precisionAt1": float(acc["precision_at_1"]), "meanAveragePrecisionAtR": float(acc["mean_average_precision_at_r"])}


def run(config, tx, ty, qx, qy):
    torch.manual_seed(SEED)
    np.random.seed(SEED)  # MPerClassSampler draws with numpy
    model = Net()
    if INIT:
        model.load_tfjs_weights(INIT)
    t0 = time.perf_counter()
    if config == "untrained":
        metrics = evaluate(model, qx, qy)
        return {"config": config, **metrics, "epochs": 0, "steps": 0, "trainSeconds": 0.0, "seconds": time.perf_counter() - t0}
    loss_fn, miner = make(config)
    params = list(model.parameters()) + list(loss_fn.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    sampler = samplers.MPerClassSampler(ty, m=M, batch_size=BATCH, length_before_new_iter=len(ty))
    steps = 0
    epoch_losses = []
    curve = []
    train_seconds = 0.0
    for epoch in range(EPOCHS):
        te = time.perf_counter()
        order = torch.tensor(list(iter(sampler)))
        total = 0.0
        n = 0
        for b in range(0, len(order) - BATCH + 1, BATCH):
            idx = order[b : b + BATCH]
            x, y = tx[idx], ty[idx]
            opt.zero_grad()
            e = model(x)
            if miner is not None:
                loss = loss_fn(e, y, miner(e, y))
            else:
                loss = loss_fn(e, y)
            loss.backward()
            opt.step()
            total += loss.item()
            n += 1
            steps += 1
        train_seconds += time.perf_counter() - te
        epoch_losses.append(total / max(1, n))
        curve.append({"epoch": epoch + 1, **evaluate(model, qx, qy)})
        print(json.dumps({"progress": config, **curve[-1], "loss": epoch_losses[-1]}), file=sys.stderr, flush=True)
    metrics = curve[-1] if curve else evaluate(model, qx, qy)
    return {
        "config": config,
        "precisionAt1": metrics["precisionAt1"],
        "meanAveragePrecisionAtR": metrics["meanAveragePrecisionAtR"],
        "epochs": EPOCHS,
        "steps": steps,
        "epochLosses": epoch_losses,
        "curve": curve,
        "trainSeconds": train_seconds,
        "seconds": time.perf_counter() - t0,
    }


def main():
    tx, ty = load("train", [0, 1, 2, 3, 4], TRAIN_PER_CLASS)
    qx, qy = load("test", [5, 6, 7, 8, 9])
    results = []
    for config in CONFIGS:
        r = run(config, tx, ty, qx, qy)
        results.append(r)
        print(json.dumps(r), flush=True)
    print(
        json.dumps(
            {
                "source": "pytorch-metric-learning",
                "pml": pytorch_metric_learning.__version__,
                "torch": torch.__version__,
                "threads": THREADS,
                "init": "emb's initial weights" if INIT else "xavier_uniform (seeded by torch)",
                "train": len(ty),
                "queries": len(qy),
                "results": results,
            }
        )
    )


if __name__ == "__main__":
    main()
