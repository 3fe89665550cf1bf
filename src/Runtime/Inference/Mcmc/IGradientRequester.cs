namespace Ppl.Runtime.Inference.Mcmc;

/// <summary>
/// One step of a per-chain computation that needs the model only through density evaluations: either complete
/// (with a <see cref="Result"/>) or waiting for the density at <see cref="RequestedPosition"/>. Implementations are
/// immutable; <see cref="Advance"/> returns the next state. A driver advances many chains together by evaluating
/// all their requested positions in one batched call.
/// </summary>
public interface IGradientRequester<out TResult>
{
    /// <summary>True when the computation has finished.</summary>
    bool IsComplete { get; }

    /// <summary>Where the density and gradient are needed next (only while not complete).</summary>
    double[] RequestedPosition { get; }

    /// <summary>The outcome (only once complete).</summary>
    TResult Result { get; }

    /// <summary>The next state, given the density at <see cref="RequestedPosition"/>.</summary>
    IGradientRequester<TResult> Advance(DensityEvaluation evaluation);
}

/// <summary>Runs a gradient requester to completion one evaluation at a time (for callers with a single chain).</summary>
public static class GradientRequesterExtensions
{
    /// <summary>Advances until complete, evaluating each request with <paramref name="evaluate"/>.</summary>
    public static TResult RunToCompletion<TResult>(this IGradientRequester<TResult> state, Func<double[], DensityEvaluation> evaluate)
    {
        while (!state.IsComplete) state = state.Advance(evaluate(state.RequestedPosition));
        return state.Result;
    }
}
