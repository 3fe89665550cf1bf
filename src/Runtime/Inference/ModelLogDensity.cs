using Ppl.Runtime.Models;
using static TorchSharp.torch;
using Ppl.Runtime.Tensors;

namespace Ppl.Runtime.Inference;

/// <summary>
/// A bound <see cref="Model"/> as the samplers see it: float64 CPU positions [C, D] go to the model's dtype and
/// device, and the log density (with log|det J|) and its gradient come back. A model run that fails numerically
/// (a Cholesky factor of a matrix that is not positive definite, a solver that gives up: error PPL0490) makes the
/// density undefined at that point, which the sampler must treat as a divergence, not as a crash; every other
/// failure is structural and is either reported by <see cref="Create"/> before sampling starts or is a bug.
/// </summary>
public sealed class ModelLogDensity : ILogDensityFunction
{
    private ModelLogDensity(Model model)
    {
        Model = model;
        Dimension = model.Dimension;
    }

    /// <summary>The bound model.</summary>
    public Model Model { get; }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>Positions whose model run failed numerically and were reported as non-finite.</summary>
    public long FailedEvaluations { get; private set; }

    /// <summary>The latest numerical failure (located in the model source), for the run's report.</summary>
    public ModelError? LastFailure { get; private set; }

    /// <summary>The model's log density, or the reason it has none: the model has no density (a deterministic
    /// observation, a non-differentiable step), no unconstrained coordinates, or an observation without a value.</summary>
    public static (ModelLogDensity? Density, ModelError? Error) Create(Model model)
    {
        var description = model.Description;
        var caps = description.Capabilities;
        if (!caps.Explicit)
            return (null, CapabilityErrors.NoLogDensity(description));
        if (model.Dimension == 0)
            return (null, CapabilityErrors.NothingToSample(description));
        var missing = model.MissingObservations;
        if (missing.Count > 0)
        {
            var site = model.ObservedSites.First(s => s.Name == missing[0]);
            string names = string.Join(", ", missing.Select(n => $"'{n}'"));
            return (null, new ModelError(DiagnosticCatalogue.ObservationWithoutValue, $"observed {names} {(missing.Count == 1 ? "has" : "have")} no value; sampling needs the observations",
                site.Description.Location, $"give them in a data file (--data obs.json) or with --set {missing[0]}=@{missing[0]}.npy"));
        }
        return (new ModelLogDensity(model), null);
    }

    /// <inheritdoc />
    public (Tensor LogDensity, Tensor Gradient) Evaluate(Tensor positions)
    {
        try
        {
            return Model.LogDensityAndGradient(positions);
        }
        catch (ModelRunException e) when (e.Error.Code == DiagnosticCatalogue.NumericalFailure.Code)
        {
            return EvaluateRowByRow(positions, e.Error);
        }
    }

    /// <summary>
    /// After a failed batch, each row alone: only the rows that fail by themselves become non-finite, so a chain's
    /// draws never depend on which other chains shared its batch.
    /// </summary>
    private (Tensor LogDensity, Tensor Gradient) EvaluateRowByRow(Tensor positions, ModelError batchFailure)
    {
        long rows = positions.shape[0];
        if (rows == 1) return Failed(positions, batchFailure);
        using var scope = NewDisposeScope();
        var logDensities = new Tensor[rows];
        var gradients = new Tensor[rows];
        for (long i = 0; i < rows; i++)
        {
            var row = positions.narrow(0, i, 1);
            (Tensor lp, Tensor grad) result;
            try
            {
                result = Model.LogDensityAndGradient(row);
            }
            catch (ModelRunException e) when (e.Error.Code == DiagnosticCatalogue.NumericalFailure.Code)
            {
                result = Failed(row, e.Error);
            }
            logDensities[i] = result.lp.to(ScalarType.Float64, CPU);
            gradients[i] = result.grad.to(ScalarType.Float64, CPU);
        }
        var joined = (cat(logDensities, 0), cat(gradients, 0));
        joined.Item1.MoveToOuterDisposeScope();
        joined.Item2.MoveToOuterDisposeScope();
        return joined;
    }

    private (Tensor LogDensity, Tensor Gradient) Failed(Tensor row, ModelError error)
    {
        FailedEvaluations++;
        LastFailure = error;
        return (full(row.shape[0], ConstantScalars.Of(double.NaN), ScalarType.Float64), full(row.shape, ConstantScalars.Of(double.NaN), ScalarType.Float64));
    }
}
