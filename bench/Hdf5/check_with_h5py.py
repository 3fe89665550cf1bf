"""Checks that h5py reads what `ppl simulate -o sims.h5 [--append]` writes: the same arrays as an .npz of the same
simulations, datasets chunked along the simulation axis, and the provenance attributes.

    ppl simulate examples/two_moons.ppl -n 1000 --seed 3 -o /tmp/tm.h5
    ppl simulate examples/two_moons.ppl -n 500 --seed 3 -o /tmp/tm.h5 --append
    ppl simulate examples/two_moons.ppl -n 1500 --seed 3 -o /tmp/tm.npz
    /usr/bin/python3 bench/Hdf5/check_with_h5py.py /tmp/tm.h5 /tmp/tm.npz
"""
import sys
import numpy as np
import h5py

h5_path, npz_path = sys.argv[1], sys.argv[2]
reference = np.load(npz_path)
with h5py.File(h5_path, "r") as f:
    print("attributes:", {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()})
    assert sorted(f.keys()) == sorted(reference.files), (sorted(f.keys()), reference.files)
    for name in f:
        d = f[name]
        same = np.array_equal(d[...], reference[name])
        print(f"{name:12s} shape {d.shape} {d.dtype} chunks {d.chunks} compression {d.compression} equal {same}")
        assert same and d.chunks is not None and d.chunks[1:] == d.shape[1:]
print("ok")
