// Ppl from an F# script: compile a model, bind data, sample with NUTS, simulate, train a neural posterior estimator (NPE)
// and query it, with the objects the `ppl` command uses. The model is examples/gaussian_linear.ppl in two dimensions,
// whose posterior is known: θ | x ~ N(x/2, 0.05·I). NUTS and NPE should both find it.
//
//   dotnet build examples/api -c Release          # once: the libraries and libtorch, in examples/api/bin/Release
//   dotnet fsi examples/api/GaussianLinear.fsx     # [-- EXAMPLES_FOLDER]
//
// tests/Ppl.Examples.Tests/ApiExampleTests.cs runs this script and checks its numbers.
#r "bin/Release/net10.0/TorchSharp.dll"
#r "bin/Release/net10.0/Ppl.Dsl.dll"
#r "bin/Release/net10.0/Ppl.Runtime.dll"
#r "bin/Release/net10.0/Ppl.Compiler.dll"

open System
open System.Collections.Generic
open System.IO
open Ppl.Compiler
open Ppl.Runtime.Flows
open Ppl.Runtime.Inference
open Ppl.Runtime.Inference.Mcmc
open Ppl.Runtime.Models
open Ppl.Runtime.Sbi
open TorchSharp

// A script runs inside `dotnet fsi`, whose native-library probing does not know this build's runtimes/ folder: load
// TorchSharp's native library (fixed up for this system by the build) from there before the first tensor.
let native = Path.Combine(__SOURCE_DIRECTORY__, "bin", "Release", "net10.0", "runtimes", Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "native")
for name in [ "libLibTorchSharp.so"; "libLibTorchSharp.dylib"; "LibTorchSharp.dll" ] do
    let path = Path.Combine(native, name)
    if File.Exists path then Runtime.InteropServices.NativeLibrary.Load path |> ignore

let examples =
    match fsi.CommandLineArgs |> Array.tail with
    | [| folder |] -> folder
    | _ -> Path.Combine(__SOURCE_DIRECTORY__, "..")

let fail (what: string) = raise (InvalidDataException what)

// 1. Compile. Errors are diagnostics (code, range, message), rendered as `ppl check` renders them.
let compilation = Driver.CompileFile(Path.Combine(examples, "gaussian_linear.ppl"))
if compilation.HasErrors then fail (compilation.RenderDiagnostics())

// 2. Bind data: D = 2 overrides the model's default size; with x given, x is observed (for NUTS); without it, the model
// is a simulator of (θ, x). Sizes, shapes and domains are checked and errors come back located.
let observed = [| 0.4; -0.6 |]
let bind (withObservation: bool) =
    let data = Dictionary<string, DataInput>()
    data["D"] <- DataInput.Scalar(2L, "script")
    if withObservation then data["x"] <- DataInput(torch.tensor(observed, dtype = torch.ScalarType.Float64), "script")
    let binding = Model.Bind(compilation.Factory.Invoke(), data, ModelOptions.Float64)
    if isNull binding.Model then fail (String.Join("\n", binding.Errors))
    binding.Model

let posteriorModel = bind true
printfn "%s: %d unconstrained dimensions" posteriorModel.Description.Name posteriorModel.Dimension

let mean (t: torch.Tensor) (dim: int64) = (t.mean([| dim |])).data<float>().ToArray()
let std (t: torch.Tensor) (dim: int64) = (t.std(dim)).data<float>().ToArray()
let show (values: float[]) = String.Join(", ", values |> Array.map (fun v -> v.ToString("F3")))

// 3. NUTS over the unconstrained space, batched over chains; draws mapped back with Constrain.
let nutsMean =
    let struct (density, densityError) = ModelLogDensity.Create(posteriorModel)
    if isNull density then fail (string densityError)
    let options = SamplingOptions(Chains = 4, Seed = 3UL, NumWarmup = 300, NumSamples = 300)
    let struct (init, initErrors) = ModelInitialisation.Create(posteriorModel, options.Seed, options.Chains, options.FirstChainId, Dictionary<string, DataInput>())
    if isNull init then fail (String.Join("\n", initErrors))
    let run = HamiltonianSampler.Sample(density, options, init.Source).GetRunOrThrow()
    let positions = run.Chains |> Seq.collect (fun c -> c.Samples) |> Seq.map (fun d -> d.Position) |> Array.ofSeq
    use u = torch.tensor(Array.concat positions, dtype = torch.ScalarType.Float64).reshape(int64 positions.Length, posteriorModel.Dimension)
    let theta = posteriorModel.Constrain(u).["theta"]
    let m = mean theta 0L
    printfn "nuts: %d draws, posterior mean theta = [%s] (exact [%s])" positions.Length (show m) (show (observed |> Array.map (fun v -> v / 2.0)))
    m

// 4. Simulate: the same compiled model as a batched simulator of the prior predictive.
let simulator = bind false
let simulation = simulator.Simulate(SimulationRequest(4000L, Seed = 7UL))
let prior = simulation.Values.["theta"]
printfn "simulate: %d draws; prior theta mean [%s], sd [%s] (exact 0, 0.316)" simulation.Completed (show (mean prior 0L)) (show (std prior 0L))

// 5. Train NPE on simulations of the model (θ in the unconstrained space, x flattened by the observation layout).
let layout =
    let l = ObservationLayout.For(simulator, ObservationArrangement.Flat)
    if not l.IsSuccess then fail (string l.Error)
    l.Value
let training = ModelSimulations.Draw(simulator, layout, 3000L, 11UL, false)
let architecture = FlowArchitecture(Kind = FlowKind.AffineCoupling, Layers = 3, HiddenUnits = 32)
let trained = NeuralPosteriorEstimation.Train(training.Theta, training.X, architecture, TrainingOptions(MaxEpochs = 60, Seed = 1UL))
if not trained.IsSuccess then fail (string trained.Error)
let estimator = trained.Value
printfn "train: NPE on %d simulations, %d epochs, validation loss %.3f" training.Count estimator.Report.Epochs estimator.Report.BestValidationLoss

// 6. Query the estimator at the observation: posterior draws mapped back through the model's bijectors.
let observation =
    let values = Dictionary<string, torch.Tensor>()
    values["x"] <- torch.tensor(observed, dtype = torch.ScalarType.Float64).reshape(1L, 2L)
    let arranged = layout.Arrange(values)
    if not arranged.IsSuccess then fail (string arranged.Error)
    arranged.Value
let draws = ModelPosterior.SampleNpe(estimator, simulator, observation, 4000L, 5UL)
let npe = draws.Params.["theta"]
printfn "npe: %d draws, posterior mean theta = [%s], sd [%s] (exact sd 0.224)" draws.Count (show (mean npe 0L)) (show (std npe 0L))
estimator.Dispose()
