#!/bin/sh
# myelin run --backend cuda without a usable GPU (or without CUDA in the build): one line naming
# the reason, exit 2, no recording. Where a GPU is usable this is not the case to test: exit 77.
myelin="$1"; config="$2"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
"$myelin" run "$config" --backend cuda --duration 10 -o "$dir/out.h5" >"$dir/out" 2>"$dir/err"
rc=$?
if [ $rc -eq 0 ]; then echo "a GPU is usable here: covered by gpu_backend"; exit 77; fi
cat "$dir/err"
[ $rc -eq 2 ] || { echo "expected exit 2, got $rc"; exit 1; }
grep -q "^myelin: error: --backend cuda: " "$dir/err" || { echo "no clear message"; exit 1; }
grep -Eq "GPU|CUDA" "$dir/err" || { echo "message does not say GPU or CUDA"; exit 1; }
[ "$(wc -l <"$dir/err")" -eq 1 ] || { echo "more than one line"; exit 1; }
[ ! -e "$dir/out.h5" ] || { echo "a recording was written"; exit 1; }
exit 0
