using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Ppl.Analyzers;

/// <summary>
/// Rejects TorchSharp <c>Scalar</c>s that nothing keeps alive while native code reads them. TorchSharp 0.107 passes a
/// Scalar's native handle to libtorch and does not keep the managed object alive during the call, so a garbage collection
/// in that window finalizes it and libtorch reads freed memory (an error such as <c>toDouble at c10/core/Scalar.h</c>, or
/// a silently wrong number). Two rules:
/// <list type="bullet">
/// <item>PPLA001: a Scalar made by a conversion (<c>x * 2.0</c> through <c>Scalar</c> parameters, <c>x.pow(2)</c>),
/// <c>ToScalar()</c> or <c>new Scalar</c> anywhere but where something owns it for longer than the call: a field or
/// property initializer, an assignment to a field or property, or a <c>using</c> declaration (disposed, hence alive, at the
/// end of its scope).</item>
/// <item>PPLA002: a TorchSharp member that makes such a Scalar itself (listed in <c>ScalarCreatingMembers.txt</c>, read from
/// TorchSharp's IL), such as <c>Tensor + Tensor</c> (an alpha of 1) or <c>Tensor * double</c>.</item>
/// </list>
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ScalarLifetimeAnalyzer : DiagnosticAnalyzer
{
    public const string TemporaryScalarId = "PPLA001";
    public const string ScalarCreatingMemberId = "PPLA002";
    public const string NonConstantCachedScalarId = "PPLA003";

    public static readonly DiagnosticDescriptor TemporaryScalar = new(
        TemporaryScalarId,
        "Temporary TorchSharp Scalar",
        "A TorchSharp Scalar made here ({0}) is not kept alive during the native call; make it once in a field (or a 'using' declaration)",
        "Reliability",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ScalarCreatingMember = new(
        ScalarCreatingMemberId,
        "TorchSharp member that makes a temporary Scalar",
        "'{0}' makes a TorchSharp Scalar that is not kept alive during the native call; use an overload taking a Scalar kept in a field, or a tensor operand",
        "Reliability",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NonConstantCachedScalar = new(
        NonConstantCachedScalarId,
        "Run-time value in the constant Scalar cache",
        "ConstantScalars.Of takes compile-time constants only (the cache is never emptied); own a Scalar for '{0}' with a 'using' declaration",
        "Reliability",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    private static readonly ImmutableHashSet<string> ScalarCreatingMembers = LoadScalarCreatingMembers();

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(TemporaryScalar, ScalarCreatingMember, NonConstantCachedScalar);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var scalar = start.Compilation.GetTypeByMetadataName("TorchSharp.Scalar");
            if (scalar is null)
                return;
            start.RegisterOperationAction(c => AnalyzeConversion(c, scalar), OperationKind.Conversion);
            start.RegisterOperationAction(c => AnalyzeCreation(c, scalar), OperationKind.Invocation, OperationKind.ObjectCreation);
            start.RegisterOperationAction(AnalyzeConstantCache, OperationKind.Invocation);
            start.RegisterOperationAction(AnalyzeMemberUse,
                OperationKind.Invocation, OperationKind.ObjectCreation, OperationKind.Binary, OperationKind.Unary,
                OperationKind.CompoundAssignment, OperationKind.PropertyReference, OperationKind.MethodReference);
        });
    }

    private static void AnalyzeConversion(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var conversion = (IConversionOperation)context.Operation;
        if (!SymbolEqualityComparer.Default.Equals(conversion.Type, scalar))
            return;
        if (conversion.Operand.Type is null || SymbolEqualityComparer.Default.Equals(conversion.Operand.Type, scalar))
            return;
        if (conversion.Operand.Type.SpecialType == SpecialType.System_Object || conversion.Operand.Type.TypeKind == TypeKind.Error)
            return;
        if (IsOwned(conversion))
            return;
        context.ReportDiagnostic(Diagnostic.Create(TemporaryScalar, conversion.Syntax.GetLocation(),
            $"conversion from {conversion.Operand.Type.ToDisplayString()}"));
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var (method, what) = context.Operation switch
        {
            IInvocationOperation invocation => (invocation.TargetMethod, invocation.TargetMethod.Name + "()"),
            IObjectCreationOperation creation => (creation.Constructor, "new Scalar"),
            _ => (null, ""),
        };
        var made = method?.MethodKind == MethodKind.Constructor ? method.ContainingType : method?.ReturnType;
        if (method is null || !SymbolEqualityComparer.Default.Equals(made, scalar))
            return;
        // A call that returns a Scalar makes one unless it reads a kept one; only TorchSharp's factories make them.
        if (method.ContainingAssembly?.Name != "TorchSharp")
            return;
        if (IsOwned(context.Operation))
            return;
        context.ReportDiagnostic(Diagnostic.Create(TemporaryScalar, context.Operation.Syntax.GetLocation(), what));
    }

    private static void AnalyzeConstantCache(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod.Name != "Of" || invocation.TargetMethod.ContainingType?.ToDisplayString() != "Ppl.Runtime.Tensors.ConstantScalars")
            return;
        foreach (var argument in invocation.Arguments)
            if (!argument.Value.ConstantValue.HasValue)
                context.ReportDiagnostic(Diagnostic.Create(NonConstantCachedScalar, argument.Syntax.GetLocation(), argument.Syntax.ToString()));
    }

    private static void AnalyzeMemberUse(OperationAnalysisContext context)
    {
        ISymbol? member = context.Operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IObjectCreationOperation creation => creation.Constructor,
            IBinaryOperation binary => binary.OperatorMethod,
            IUnaryOperation unary => unary.OperatorMethod,
            ICompoundAssignmentOperation compound => compound.OperatorMethod,
            IPropertyReferenceOperation property => property.Property.GetMethod,
            IMethodReferenceOperation reference => reference.Method,
            _ => null,
        };
        if (member is null || member.ContainingAssembly?.Name != "TorchSharp")
            return;
        var id = member.OriginalDefinition.GetDocumentationCommentId();
        if (id is null || !ScalarCreatingMembers.Contains(id))
            return;
        context.ReportDiagnostic(Diagnostic.Create(ScalarCreatingMember, context.Operation.Syntax.GetLocation(), member.ToDisplayString()));
    }

    /// <summary>Whether the Scalar made by <paramref name="operation"/> is stored where it outlives the statement.</summary>
    private static bool IsOwned(IOperation operation)
    {
        var current = operation;
        var parent = current.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation or IArrayInitializerOperation or IArrayCreationOperation)
        {
            current = parent;
            parent = current.Parent;
        }
        switch (parent)
        {
            case IFieldInitializerOperation:
            case IPropertyInitializerOperation:
                return true;
            case ISimpleAssignmentOperation assignment when assignment.Value == current:
                return assignment.Target is IFieldReferenceOperation or IPropertyReferenceOperation
                    || assignment.Target is IArrayElementReferenceOperation { ArrayReference: IFieldReferenceOperation or IPropertyReferenceOperation };
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Parent: IVariableDeclarationOperation declaration } }:
                return declaration.Parent is IUsingDeclarationOperation or IUsingOperation
                    || declaration.Parent is IVariableDeclarationGroupOperation { Parent: IUsingDeclarationOperation or IUsingOperation };
            default:
                return false;
        }
    }

    private static ImmutableHashSet<string> LoadScalarCreatingMembers()
    {
        using var stream = typeof(ScalarLifetimeAnalyzer).Assembly.GetManifestResourceStream("ScalarCreatingMembers.txt")
            ?? throw new InvalidOperationException("ScalarCreatingMembers.txt is not embedded in Ppl.Analyzers");
        using var reader = new StreamReader(stream);
        var members = new List<string>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            line = line.Trim();
            if (line.Length > 0 && !line.StartsWith("#"))
                members.Add(line);
        }
        return members.ToImmutableHashSet();
    }
}
