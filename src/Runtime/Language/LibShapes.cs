using static TorchSharp.torch;

namespace Ppl.Runtime.Language;

public static partial class Lib
{
    public static Tensor Transpose(Ev x, long[] axes)
    {
        var perm = x.Batched ? new long[] { 0 }.Concat(axes.Select(a => a + 1)).ToArray() : axes;
        return x.Value.permute(perm);
    }

    public static Tensor Reshape(Ev x, long[] sizes) =>
        x.Value.reshape(x.Batched ? new[] { x.Value.shape[0] }.Concat(sizes).ToArray() : sizes);

    public static Tensor Flatten(Ev x) => x.Batched ? x.Value.reshape(x.Value.shape[0], -1) : x.Value.reshape(-1);

    /// <summary>Joins values along a new event axis; values are broadcast to a common shape first.</summary>
    public static Tensor Stack(Ev[] items, long axis)
    {
        // Common case: every item batched (or none), with the same shape — no broadcasting needed.
        var firstShape = items[0].Value.shape;
        if (items.All(i => i.Batched == items[0].Batched && i.Value.shape.SequenceEqual(firstShape)))
            return stack(items.Select(i => i.Value).ToArray(), items[0].Batched ? axis + 1 : axis);
        var values = Batchwise(items, out bool batched);
        values = broadcast_tensors(values).ToArray();
        return stack(values, batched ? axis + 1 : axis);
    }

    public static Tensor Concat(Ev[] items, long axis)
    {
        var values = Batchwise(items, out bool batched);
        return cat(values, batched ? axis + 1 : axis);
    }

    public static Tensor Flip(Ev x, long axis) => x.Value.flip(x.Dim(axis));

    public static Tensor Roll(Ev x, long shift, long axis) => x.Value.roll(shift, x.Dim(axis));

    public static Tensor Diag(Ev x) => x.Value.diag_embed();

    public static Tensor Diagonal(Ev x) => x.Value.diagonal(0, -2, -1);

    public static Tensor Trace(Ev x) => x.Value.diagonal(0, -2, -1).sum(-1);

    public static Tensor BroadcastTo(Ev x, long[] sizes) =>
        x.Value.expand(x.Batched ? new[] { x.Value.shape[0] }.Concat(sizes).ToArray() : sizes);
}
