using static TorchSharp.torch;

namespace Ppl.Runtime.Sbi;

/// <summary>
/// A copy of a module's parameters and buffers, kept outside every dispose scope, so that training can restore the
/// weights of its best epoch. Shared by the flow trainer and the compressor trainer.
/// </summary>
public sealed class WeightSnapshot : IDisposable
{
    private readonly Dictionary<string, Tensor> _state;

    private WeightSnapshot(Dictionary<string, Tensor> state) => _state = state;

    /// <summary>Copies the current state of <paramref name="module"/>.</summary>
    public static WeightSnapshot Take(nn.Module module)
    {
        using var noGrad = no_grad();
        return new WeightSnapshot(module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope()));
    }

    /// <summary>Writes the copied state back into <paramref name="module"/> (the module the snapshot was taken of).</summary>
    public void RestoreInto(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (name, value) in module.state_dict()) value.copy_(_state[name]);
    }

    public void Dispose()
    {
        foreach (var t in _state.Values) t.Dispose();
        _state.Clear();
    }
}
