using TorchSharp;

namespace Ppl.Bench.Cosmology;

/// <summary>Command-line options of the cosmology benchmark.</summary>
internal sealed record BenchOptions(string Mode, int Threads, int Repeats, torch.ScalarType DType, torch.Device Device, string? ReferencePath, string? Error)
{
    public const string Usage =
        "usage: ppl-bench-cosmology [timing|fit-reference] [--threads N] [--repeats N] [--dtype float32|float64] [--device cpu|cuda] [--reference FILE]";

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions("timing", 0, 5, torch.ScalarType.Float32, torch.CPU, null, null);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : "";
            switch (args[i])
            {
                case "timing" or "fit-reference": o = o with { Mode = args[i] }; break;
                case "--threads": o = int.TryParse(Next(), out var t) ? o with { Threads = t } : o with { Error = "--threads needs an integer" }; break;
                case "--repeats": o = int.TryParse(Next(), out var r) && r > 0 ? o with { Repeats = r } : o with { Error = "--repeats needs a positive integer" }; break;
                case "--dtype":
                    var d = Next();
                    o = d switch
                    {
                        "float32" => o with { DType = torch.ScalarType.Float32 },
                        "float64" => o with { DType = torch.ScalarType.Float64 },
                        _ => o with { Error = $"unknown dtype '{d}'" },
                    };
                    break;
                case "--device":
                    var dev = Next();
                    o = dev is "cpu" or "cuda" ? o with { Device = torch.device(dev) } : o with { Error = $"unknown device '{dev}'" };
                    break;
                case "--reference": o = o with { ReferencePath = Next() }; break;
                default: o = o with { Error = $"unknown argument '{args[i]}'" }; break;
            }
        }
        return o;
    }
}
