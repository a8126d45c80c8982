#!/bin/sh
# ALGORITHMS.md 4.9.2: peak training memory of TESS against T, beside its BPTT reference on the
# same network. For T = 4, 16, 64 and each learner, one short run (one epoch of 512 Fashion-MNIST
# images, 784-256-256-10, batch 128) reports two numbers, both printed by `myelin train`: the
# peak resident set while training (VmHWM reset after loading the dataset, whose transient would
# hide training; it includes the program, the parameters, Adam, the gradient buffers and the
# parts in flight) and the trainer's own count of the learning rule's state per 32-sample part
# (traces and membranes for TESS, the tape for BPTT).
# Usage: bench/tess_memory.sh build/myelin [threads]
set -eu
myelin="$1"
threads="${2:-2}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf "%-8s %5s %22s %18s\n" learner T "training RSS (KiB)" "state bytes/part"
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
    "$myelin" train "$work/m.toml" --no-output > "$work/out"
    row=$(awk -v l="$learner" '$1 == l && $NF ~ /s$/ { print $(NF-2), $(NF-1) }' "$work/out" | tail -1)
    printf "%-8s %5s %22s %18s\n" "$learner" "$steps" "${row#* }" "${row% *}"
  done
done
