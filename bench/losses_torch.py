"""PyTorch peer for `pnpm bench losses`: the same losses computed the way
pytorch-metric-learning 2.8.1 computes them (all-pairs / all-triplets index tensors,
cdist, masked logsumexp), timed forward + backward with 2 threads.
Prints one JSON line: {loss name: [ms for each B]}."""
import json
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(2)
sizes = [int(s) for s in sys.argv[1].split(",")]
D = int(sys.argv[2])
per_class = int(sys.argv[3])


def all_pairs(labels):
    matches = (labels.unsqueeze(1) == labels.unsqueeze(0)).byte()
    diffs = matches ^ 1
    matches.fill_diagonal_(0)
    a1, p = torch.where(matches)
    a2, n = torch.where(diffs)
    return a1, p, a2, n


def all_triplets(labels):
    matches = (labels.unsqueeze(1) == labels.unsqueeze(0)).byte()
    diffs = matches ^ 1
    matches.fill_diagonal_(0)
    triplets = matches.unsqueeze(2) * diffs.unsqueeze(1)
    return torch.where(triplets)


def lp(e):
    e = F.normalize(e, p=2, dim=1)
    return torch.cdist(e, e, p=2)


def avg_non_zero(x):
    pos = x > 0
    n = pos.sum()
    return x[pos].sum() / n if n > 0 else x.sum() * 0


def pairwise(e, labels):
    return lp(e).sum()


def triplet(e, labels, margin=0.05):
    a, p, n = all_triplets(labels)
    mat = lp(e)
    return avg_non_zero(F.relu(mat[a, p] - mat[a, n] + margin))


def contrastive(e, labels, pos_margin=0.0, neg_margin=1.0):
    a1, p, a2, n = all_pairs(labels)
    mat = lp(e)
    return avg_non_zero(F.relu(mat[a1, p] - pos_margin)) + avg_non_zero(F.relu(neg_margin - mat[a2, n]))


def margin_loss(e, labels, margin=0.2, beta=1.2):
    a, p, n = all_triplets(labels)
    mat = lp(e)
    pos = F.relu(mat[a, p] - beta + margin)
    neg = F.relu(beta - mat[a, n] + margin)
    divisor = (pos > 0).sum() + (neg > 0).sum()
    return (pos + neg).sum() / divisor if divisor > 0 else (pos + neg).sum() * 0


def masked_logsumexp(x, keep_mask):
    x = x.masked_fill(~keep_mask, torch.finfo(x.dtype).min)
    x = torch.cat([x, torch.zeros(x.size(0), 1, dtype=x.dtype)], dim=1)
    out = torch.logsumexp(x, dim=1, keepdim=True)
    return out.masked_fill(~torch.any(keep_mask, dim=1, keepdim=True), 0)


def multi_similarity(e, labels, alpha=2.0, beta=50.0, base=0.5):
    en = F.normalize(e, p=2, dim=1)
    mat = en @ en.t()
    a1, p, a2, n = all_pairs(labels)
    pos_mask = torch.zeros_like(mat)
    neg_mask = torch.zeros_like(mat)
    pos_mask[a1, p] = 1
    neg_mask[a2, n] = 1
    pos_loss = (1.0 / alpha) * masked_logsumexp(alpha * (base - mat), pos_mask.bool())
    neg_loss = (1.0 / beta) * masked_logsumexp(beta * (mat - base), neg_mask.bool())
    return (pos_loss + neg_loss).mean()


cases = {
    "pairwise L2 (normalised)": pairwise,
    "triplet, all triplets": triplet,
    "contrastive": contrastive,
    "margin": margin_loss,
    "multi-similarity": multi_similarity,
}
out = {}
for name, fn in cases.items():
    out[name] = []
    for b in sizes:
        torch.manual_seed(0)
        e = torch.randn(b, D, requires_grad=True)
        labels = torch.arange(b) // per_class
        times = []
        for i in range(9):
            t0 = time.perf_counter()
            loss = fn(e, labels)
            loss.backward()
            e.grad = None
            times.append((time.perf_counter() - t0) * 1000)
        times = sorted(times[2:])
        out[name].append(times[len(times) // 2])
print(json.dumps(out))
