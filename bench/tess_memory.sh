#!/bin/sh
# ALGORITHMS.md 4.9.2: peak training memory of TESS against T, beside its BPTT reference on the
# same network. For T = 4, 16, 64 and each learner, one short run (one epoch of 512 Fashion-MNIST
# images, 784-256-256-10, batch 128) reports two numbers: the peak resident set of the process
# (/usr/bin/time -v: includes the dataset, the parameters, Adam and the gradient buffers, which do
# not depend on T) and the trainer's own count of the learning rule's state per 32-sample part
# (traces and membranes for TESS, the tape for BPTT). Usage: bench/tess_memory.sh build/myelin [threads]
set -eu
myelin="$1"
threads="${2:-2}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf "%-8s %5s %16s %20s\n" learner T "max RSS (kB)" "state bytes/part"
for learner in tess bptt; do
  for steps in 4 16 64; do
    cat > "$work/m.toml" <<TOML
[train]
algorithm = "tess"
seed = 42
threads = $threads
[tess]
hidden = [256, 256]
steps = $steps
batch = 128
epochs = 1
learners = ["$learner"]
train_samples = 512
test_samples = 256
TOML
    /usr/bin/time -v "$myelin" train "$work/m.toml" --no-output > "$work/out" 2> "$work/time"
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
    state=$(awk -v l="$learner" '$1 == l && $NF ~ /s$/ { print $(NF-1) }' "$work/out" | tail -1)
    printf "%-8s %5s %16s %20s\n" "$learner" "$steps" "$rss" "$state"
  done
done
