"""Writes tests/Ppl.Runtime.Tests/IO/data/h5py_chunked.h5, the HDF5 file from another writer that Hdf5ArchiveTests
reads: h5py (libhdf5) with chunked, gzip- and shuffle-filtered datasets, an unfiltered one and a group.

    /usr/bin/python3 bench/Hdf5/make_h5py_fixture.py   # needs h5py (Debian: apt-get install python3-h5py)

Values are simple functions of the indices so that the test checks them without a second copy.
"""
import numpy as np
import h5py

path = "tests/Ppl.Runtime.Tests/IO/data/h5py_chunked.h5"
i = np.arange(50)
with h5py.File(path, "w") as f:
    f.create_dataset("theta", data=np.stack([i + 0.0, 0.5 * i], axis=1), chunks=(8, 2), compression="gzip", shuffle=True)
    f.create_dataset("x", data=(np.sin(i)[:, None] * np.arange(1, 4)[None, :]).astype(np.float32), chunks=(16, 3), compression="gzip")
    f.create_dataset("k", data=(i * 3 - 7).astype(np.int32))
    f.create_group("meta").create_dataset("scale", data=np.array([2.5]))
    f.attrs["seed"] = np.int64(11)
    f.attrs["first_index"] = np.int64(100)
    f.attrs["model"] = "FromH5py"
print("wrote", path)
