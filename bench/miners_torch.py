"""PyTorch peer for `pnpm bench miners`: miner (under no_grad) + loss forward + backward, timed
with 2 threads, on the same kind of batch as the JS side (B / per_class classes of per_class
samples, D columns). Uses pytorch-metric-learning itself when it is importable, otherwise the
same computations written the way PML 2.8.1 does them (all-triplet index tensors, masked
max/min, torch.sort, torch.multinomial).
Prints one JSON line: {"source": ..., pipeline name: [ms for each B]}."""
import json
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(2)
sizes = [int(s) for s in sys.argv[1].split(",")]
D = int(sys.argv[2])
per_class = int(sys.argv[3])


def lp(e, r=None):
    e = F.normalize(e, p=2, dim=1)
    return torch.cdist(e, e if r is None else F.normalize(r, p=2, dim=1), p=2)


def cos(e):
    e = F.normalize(e, p=2, dim=1)
    return e @ e.t()


def matches_diffs(labels):
    matches = (labels.unsqueeze(1) == labels.unsqueeze(0)).byte()
    diffs = matches ^ 1
    matches.fill_diagonal_(0)
    return matches, diffs


def all_pairs(labels):
    matches, diffs = matches_diffs(labels)
    a1, p = torch.where(matches)
    a2, n = torch.where(diffs)
    return a1, p, a2, n


def all_triplets(labels):
    matches, diffs = matches_diffs(labels)
    return torch.where(matches.unsqueeze(2) * diffs.unsqueeze(1))


def avg_non_zero(x):
    pos = x > 0
    n = pos.sum()
    return x[pos].sum() / n if n > 0 else x.sum() * 0


def semihard_miner(e, labels, margin=0.2):
    a, p, n = all_triplets(labels)
    mat = lp(e)
    tm = mat[a, n] - mat[a, p]
    keep = (tm <= margin) & (tm > 0)
    return a[keep], p[keep], n[keep]


def batch_hard_miner(e, labels):
    mat = lp(e)
    matches, diffs = matches_diffs(labels)
    pos = (mat * matches).max(dim=1)
    neg_mat = mat.clone()
    neg_mat[diffs == 0] = float("inf")
    neg = neg_mat.min(dim=1)
    keep = torch.where(matches.any(dim=1) & diffs.any(dim=1))[0]
    return keep, pos.indices[keep], neg.indices[keep]


def distance_weighted_miner(e, labels, cutoff=0.5, nonzero_loss_cutoff=1.4):
    d = e.size(1)
    mat = torch.clamp(lp(e), min=cutoff)
    log_w = (2.0 - d) * torch.log(mat) - ((d - 3) / 2) * torch.log(1.0 - 0.25 * mat**2)
    bad = torch.isinf(log_w) | torch.isnan(log_w)
    w = torch.exp(log_w - torch.max(log_w[~bad]))
    w = w * (labels.unsqueeze(1) != labels.unsqueeze(0)) * (mat < nonzero_loss_cutoff)
    w[bad] = 0
    a_idx, p_idx, n_idx = [], [], []
    for label in torch.unique(labels):
        p_inds = torch.where(labels == label)[0]
        n_inds = torch.where(labels != label)[0]
        n_a = len(p_inds)
        if n_a < 2 or len(n_inds) < 1:
            continue
        k = n_a
        p_inds_ = p_inds.expand((n_a, n_a))[~torch.eye(n_a).bool()].view((n_a, n_a - 1))
        p_ = torch.randint(0, n_a - 1, (n_a * k,))
        a_ = torch.arange(n_a).view(-1, 1).repeat(1, k).view(n_a * k)
        p = p_inds_[a_, p_]
        a = p_inds[a_]
        ww = w[:, n_inds][a]
        rows = torch.where(ww.sum(dim=1) > 0)[0]
        if len(rows) == 0:
            continue
        n = n_inds[torch.multinomial(ww[rows], 1, replacement=True).flatten()]
        a_idx.append(a[rows])
        p_idx.append(p[rows])
        n_idx.append(n)
    return torch.cat(a_idx), torch.cat(p_idx), torch.cat(n_idx)


def multi_similarity_miner(e, labels, epsilon=0.1):
    mat = cos(e)
    a1, p, a2, n = all_pairs(labels)
    mat_neg = mat
    mat_pos = mat.clone()
    mat_pos[a2, n] = float("inf")
    mat_neg[a1, p] = float("-inf")
    mat_pos.fill_diagonal_(float("inf"))
    mat_neg.fill_diagonal_(float("-inf"))
    pos_sorted, pos_idx = torch.sort(mat_pos, dim=1)
    neg_sorted, neg_idx = torch.sort(mat_neg, dim=1)
    hard_pos = torch.where(pos_sorted - epsilon < neg_sorted[:, -1].unsqueeze(1))
    hard_neg = torch.where(neg_sorted + epsilon > pos_sorted[:, 0].unsqueeze(1))
    return hard_pos[0], pos_idx[hard_pos[0], hard_pos[1]], hard_neg[0], neg_idx[hard_neg[0], hard_neg[1]]


def triplet_loss(e, labels, t, margin=0.2):
    a, p, n = t
    mat = lp(e)
    return avg_non_zero(F.relu(mat[a, p] - mat[a, n] + margin))


def margin_loss(e, labels, t, margin=0.2, beta=1.2):
    a, p, n = t
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


def multi_similarity_loss(e, labels, t, alpha=2.0, beta=50.0, base=0.5):
    a1, p, a2, n = t
    mat = cos(e)
    pos_mask = torch.zeros_like(mat)
    neg_mask = torch.zeros_like(mat)
    pos_mask[a1, p] = 1
    neg_mask[a2, n] = 1
    pos_loss = (1.0 / alpha) * masked_logsumexp(alpha * (base - mat), pos_mask.bool())
    neg_loss = (1.0 / beta) * masked_logsumexp(beta * (mat - base), neg_mask.bool())
    return (pos_loss + neg_loss).mean()


try:
    from pytorch_metric_learning import losses, miners

    source = "pytorch-metric-learning"

    pipelines = {
        "semi-hard + triplet": (miners.TripletMarginMiner(margin=0.2, type_of_triplets="semihard"), losses.TripletMarginLoss(margin=0.2)),
        "batch-hard + triplet": (miners.BatchHardMiner(), losses.TripletMarginLoss(margin=0.2)),
        "distance-weighted + margin": (miners.DistanceWeightedMiner(), losses.MarginLoss()),
        "multi-similarity miner + loss": (miners.MultiSimilarityMiner(), losses.MultiSimilarityLoss()),
    }
except ImportError:
    source = "plain torch, written as pytorch-metric-learning computes it"
    pipelines = {
        "semi-hard + triplet": (semihard_miner, triplet_loss),
        "batch-hard + triplet": (batch_hard_miner, triplet_loss),
        "distance-weighted + margin": (distance_weighted_miner, margin_loss),
        "multi-similarity miner + loss": (multi_similarity_miner, multi_similarity_loss),
    }


def median_ms(fn, warmup=2, runs=7):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return times[len(times) // 2]


out = {"source": source}
for name, (miner, loss_fn) in pipelines.items():
    out[name] = []
    for b in sizes:
        torch.manual_seed(42)
        e = torch.randn(b, D, requires_grad=True)
        y = torch.arange(b) // per_class

        def step():
            with torch.no_grad():
                mined = miner(e, y)
            loss = loss_fn(e, y, mined)
            e.grad = None
            loss.backward()

        out[name].append(median_ms(step))
print(json.dumps(out))
