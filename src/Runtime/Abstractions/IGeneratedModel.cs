namespace Ppl.Runtime.Abstractions;

/// <summary>
/// The one interface compiled models implement. A generated class holds the values computed from `data`
/// (bound once by <see cref="Bind"/>), and <see cref="Run"/> executes the model body once for a whole batch,
/// letting <see cref="IModelContext"/> decide what each random site does (read a value and score it, or draw it).
/// </summary>
public interface IGeneratedModel
{
    ModelDescription Description { get; }

    /// <summary>Reads the data (or evaluates defaults), computes everything that depends only on data, checks shapes
    /// that could not be checked at compile time, and declares the concrete shape of every site and recorded let.
    /// Problems are reported through the binder; the model must not be run if the binder holds errors.</summary>
    void Bind(IDataBinder binder);

    /// <summary>Runs the model body for a batch of <see cref="IModelContext.BatchSize"/> simulations or chains. May run
    /// on several threads at once: it writes no state of the instance (the running statement's index, for locating a
    /// failure, is a local of the call).</summary>
    void Run(IModelContext context);

    /// <summary>Runs only the statements the params' prior needs (the params' sites and what they read, transitively),
    /// with the same context calls as <see cref="Run"/> makes for them: the params' prior terms are those of a full run,
    /// without the forward model. Used where only log p(θ) or the params' values are needed.</summary>
    void RunPrior(IModelContext context);
}
