using Ppl.Cli;
using Ppl.Runtime.IO;

namespace Ppl.Examples.Tests;

/// <summary>`ppl simulate -o sims.h5` (and --append), and `--set name=@file.h5:dataset`.</summary>
public class CliHdf5Tests
{
    private static string Output(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "ppl-tests", Guid.NewGuid().ToString("N")[..8] + "-" + name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    [Fact]
    public void AnAppendedArchiveHoldsExactlyTheSimulationsOfOneRun()
    {
        var model = ExampleModels.PathOf("eight_schools");
        var h5 = Output("sims.h5");
        Assert.Equal(ExitCodes.Ok, CliRunner.Run("simulate", model, "-n", "30", "--seed", "4", "--score", "-o", h5).Exit);
        var appended = CliRunner.Run("simulate", model, "-n", "20", "--seed", "4", "--score", "--append", "-o", h5);
        Assert.True(appended.Exit == 0, appended.Err);
        var npz = Output("sims.npz");
        Assert.Equal(ExitCodes.Ok, CliRunner.Run("simulate", model, "-n", "50", "--seed", "4", "--score", "-o", npz).Exit);

        var (arrays, provenance) = Hdf5Archive.Read(h5).Value;
        Assert.Equal(new SimulationProvenance(4, 0, "EightSchools"), provenance);
        var reference = NpzReader.ReadAll(npz).Value;
        Assert.Equal(reference.Keys.Order(), arrays.Keys.Order());
        // Simulation i depends only on (seed, i): the two blocks are the single run's rows, bit for bit.
        foreach (var (name, array) in reference)
        {
            Assert.Equal(array.Shape, arrays[name].Shape);
            Assert.Equal(array.ToDoubleArray(), arrays[name].ToDoubleArray());
        }
    }

    [Fact]
    public void AppendsThatCannotContinueAreRefusedBeforeSimulating()
    {
        var model = ExampleModels.PathOf("eight_schools");
        var h5 = Output("sims.h5");
        Assert.Equal(ExitCodes.Ok, CliRunner.Run("simulate", model, "-n", "10", "--seed", "4", "-o", h5).Exit);
        var before = File.ReadAllBytes(h5);

        var seed = CliRunner.Run("simulate", model, "-n", "10", "--seed", "5", "--append", "-o", h5);
        Assert.Equal(ExitCodes.UsageError, seed.Exit);
        Assert.Contains("holds simulations of seed 4, not 5", seed.Err);
        var gap = CliRunner.Run("simulate", model, "-n", "10", "--seed", "4", "--first-index", "20", "--append", "-o", h5);
        Assert.Equal(ExitCodes.UsageError, gap.Exit);
        Assert.Contains("ends before simulation 10; --first-index 20 would leave a gap or overlap", gap.Err);
        Assert.Equal(ExitCodes.UsageError, CliRunner.Run("simulate", model, "-n", "10", "--append", "-o", Output("s.npz")).Exit);
        Assert.Equal(before, File.ReadAllBytes(h5));

        var garbage = Output("garbage.h5");
        File.WriteAllText(garbage, "not hdf5 at all, but long enough to hold a superblock's worth of bytes");
        var damaged = CliRunner.Run("simulate", model, "-n", "10", "--append", "-o", garbage);
        Assert.Equal(ExitCodes.ModelError, damaged.Exit);
        Assert.Contains("PPL0514", damaged.Err);
        Assert.DoesNotContain("   at ", seed.Err + gap.Err + damaged.Err);
    }

    [Fact]
    public void SetReadsADatasetOfAnHdf5File()
    {
        // sigma (eight schools' data) from an HDF5 file: tiny noise makes every y equal its theta.
        var file = Output("data.h5");
        Assert.True(Hdf5Archive.Write(file, [KeyValuePair.Create("noise", NpyArray.Create(Enumerable.Repeat(1e-6, 8).ToArray(), 8))],
            new SimulationProvenance(0, 0, "data")).Succeeded);
        var npz = Output("sims.npz");
        var r = CliRunner.Run("simulate", ExampleModels.PathOf("eight_schools"), "-n", "20", "--seed", "1", "--set", $"sigma=@{file}:noise", "-o", npz);
        Assert.True(r.Exit == 0, r.Err);
        var arrays = NpzReader.ReadAll(npz).Value;
        var y = arrays["y"].ToDoubleArray();
        var theta = arrays["theta"].ToDoubleArray();
        for (int i = 0; i < y.Length; i++) Assert.Equal(theta[i], y[i], 1e-3);

        var missing = CliRunner.Run("simulate", ExampleModels.PathOf("eight_schools"), "-n", "2", "--set", $"sigma=@{file}:sd", "-o", npz);
        Assert.Equal(ExitCodes.ModelError, missing.Exit);
        Assert.Contains("no dataset 'sd' (it has noise)", missing.Err);
    }
}
