"""PyTorch peer for `pnpm bench train`: one training step of the same network on the same
kind of batch as the JS side, written the way pytorch-metric-learning 2.8.1 does it:
TripletMarginMiner(margin=0.2, type_of_triplets="semihard") under no_grad (all-triplet index
tensors, LpDistance = normalize + cdist), TripletMarginLoss(margin=0.2) with
AvgNonZeroReducer, Adam(lr=1e-3). 2 threads.
Prints one JSON line: {"source": ..., "step_ms": median, "runs": n}."""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)
torch.manual_seed(0)
B = int(sys.argv[1]) if len(sys.argv) > 1 else 128
PER_CLASS = int(sys.argv[2]) if len(sys.argv) > 2 else 8
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 20


class Net(nn.Module):
    # conv 3x3 32 + max-pool, conv 3x3 64 + max-pool, dense 128 (valid padding, ReLU).
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.fc = nn.Linear(64 * 5 * 5, 128)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(torch.flatten(x, 1))


def lp(e):
    e = F.normalize(e, p=2, dim=1)
    return torch.cdist(e, e, p=2)


def all_triplets(labels):
    matches = (labels.unsqueeze(1) == labels.unsqueeze(0)).byte()
    diffs = matches ^ 1
    matches.fill_diagonal_(0)
    return torch.where(matches.unsqueeze(2) * diffs.unsqueeze(1))


def semihard_miner(e, labels, margin=0.2):
    with torch.no_grad():
        a, p, n = all_triplets(labels)
        mat = lp(e)
        tm = mat[a, n] - mat[a, p]
        keep = (tm <= margin) & (tm > 0)
        return a[keep], p[keep], n[keep]


def triplet_loss(e, a, p, n, margin=0.2):
    if len(a) == 0:
        return e.sum() * 0
    mat = lp(e)
    losses = F.relu(mat[a, p] - mat[a, n] + margin)
    pos = losses > 0
    k = pos.sum()
    return losses[pos].sum() / k if k > 0 else losses.sum() * 0


source = "pml-style"
try:
    from pytorch_metric_learning import losses as pml_losses, miners as pml_miners

    miner_pml = pml_miners.TripletMarginMiner(margin=0.2, type_of_triplets="semihard")
    loss_pml = pml_losses.TripletMarginLoss(margin=0.2)
    source = "pytorch-metric-learning"
except ImportError:
    miner_pml = loss_pml = None

model = Net()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.randn(B, 1, 28, 28)
labels = torch.arange(B) // PER_CLASS


def step():
    opt.zero_grad()
    e = model(x)
    if miner_pml is not None:
        t = miner_pml(e, labels)
        loss = loss_pml(e, labels, t)
    else:
        a, p, n = semihard_miner(e, labels)
        loss = triplet_loss(e, a, p, n)
    loss.backward()
    opt.step()
    return loss.item()


for _ in range(3):
    step()
times = []
for _ in range(RUNS):
    t0 = time.perf_counter()
    step()
    times.append((time.perf_counter() - t0) * 1000)
times.sort()
print(json.dumps({"source": source, "torch": torch.__version__, "step_ms": times[len(times) // 2], "runs": RUNS}))
