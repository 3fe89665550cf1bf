// Lists the public TorchSharp members that make a Scalar and pass it to native code without keeping it alive
// (src/Analyzers/ScalarCreatingMembers.txt): reads TorchSharp.dll's IL, finds the methods calling Scalar's conversions,
// ToScalar or its constructor, and closes the set over callers inside TorchSharp.
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Collections.Immutable;

var path = args[0];
using var fs = File.OpenRead(path);
using var pe = new PEReader(fs);
var md = pe.GetMetadataReader();

string TypeName(EntityHandle h)
{
    switch (h.Kind)
    {
        case HandleKind.TypeDefinition:
            var td = md.GetTypeDefinition((TypeDefinitionHandle)h);
            var name = md.GetString(td.Name);
            var decl = td.GetDeclaringType();
            if (!decl.IsNil) return TypeName(decl) + "." + name;
            return md.GetString(td.Namespace) + "." + name;
        case HandleKind.TypeReference:
            var tr = md.GetTypeReference((TypeReferenceHandle)h);
            var n = md.GetString(tr.Name);
            if (tr.ResolutionScope.Kind == HandleKind.TypeReference) return TypeName((EntityHandle)tr.ResolutionScope) + "." + n;
            return md.GetString(tr.Namespace) + "." + n;
        case HandleKind.TypeSpecification: return "spec";
    }
    return "?";
}
var prov = new SigProv(md, TypeName);
string MethodId(EntityHandle h, out string declType, out string name)
{
    if (h.Kind == HandleKind.MethodDefinition)
    {
        var m = md.GetMethodDefinition((MethodDefinitionHandle)h);
        declType = TypeName(m.GetDeclaringType()); name = md.GetString(m.Name);
        var sig = m.DecodeSignature(prov, null);
        return $"{declType}.{name}({string.Join(",", sig.ParameterTypes)})";
    }
    if (h.Kind == HandleKind.MemberReference)
    {
        var r = md.GetMemberReference((MemberReferenceHandle)h);
        declType = TypeName(r.Parent); name = md.GetString(r.Name);
        if (r.GetKind() != MemberReferenceKind.Method) return declType + "." + name;
        var sig = r.DecodeMethodSignature(prov, null);
        return $"{declType}.{name}({string.Join(",", sig.ParameterTypes)})";
    }
    if (h.Kind == HandleKind.MethodSpecification)
    {
        var s = md.GetMethodSpecification((MethodSpecificationHandle)h);
        return MethodId(s.Method, out declType, out name);
    }
    declType = "?"; name = "?"; return "?";
}

Dictionary<int, System.Reflection.Emit.OpCode> Table = null;
var calls = new Dictionary<string, HashSet<string>>();
var creators = new HashSet<string>();
var publicMethods = new Dictionary<string, bool>();
foreach (var mh in md.MethodDefinitions)
{
    var m = md.GetMethodDefinition(mh);
    var id = MethodId(mh, out var dt, out var nm);
    var td = md.GetTypeDefinition(m.GetDeclaringType());
    bool isPublic = (m.Attributes & System.Reflection.MethodAttributes.MemberAccessMask) == System.Reflection.MethodAttributes.Public;
    publicMethods[id] = isPublic;
    if (m.RelativeVirtualAddress == 0) continue;
    var body = pe.GetMethodBody(m.RelativeVirtualAddress);
    var il = body.GetILReader();
    var set = calls[id] = new HashSet<string>();
    while (il.RemainingBytes > 0)
    {
        int op = il.ReadByte();
        if (op == 0xFE) op = 0xFE00 | il.ReadByte();
        int operandSize = OperandSize(op);
        // call, callvirt, newobj; and ldftn/ldvirtftn, which is how a method hands a lambda's body (a method of a
        // compiler-generated closure class) to a helper such as Optimizer._step: the lambda's Scalars are the method's.
        if (op == 0x28 || op == 0x6F || op == 0x73 || op == 0xFE06 || op == 0xFE07)
        {
            var tok = il.ReadInt32();
            var h = MetadataTokens.EntityHandle(tok);
            var cid = MethodId(h, out var cdt, out var cnm);
            set.Add(cid);
            if (cdt == "TorchSharp.Scalar" && (cnm == "op_Implicit" || cnm == ".ctor")) creators.Add(id);
            if (cdt == "TorchSharp.ScalarExtensionMethods" && cnm == "ToScalar") creators.Add(id);
        }
        else if (op == 0x45) { int n = il.ReadInt32(); for (int i = 0; i < n; i++) il.ReadInt32(); }
        else { for (int i = 0; i < operandSize; i++) il.ReadByte(); }
    }
}
// transitive (a virtual call to a base method whose override creates Scalars is not followed: the analyzer sees the
// static type at the call site, e.g. Adam.step, which is listed itself)
var bad = new HashSet<string>(creators.Where(c => !c.StartsWith("TorchSharp.Scalar.") && !c.StartsWith("TorchSharp.ScalarExtensionMethods.")));
bool changed = true;
while (changed)
{
    changed = false;
    foreach (var (m, cs) in calls)
        if (!bad.Contains(m) && cs.Any(bad.Contains)) { bad.Add(m); changed = true; }
}
Console.WriteLine("""
# Public TorchSharp members whose bodies create a TorchSharp.Scalar (directly: Scalar.op_Implicit, ToScalar,
# new Scalar; or through another such member) and pass its handle to native code without keeping it alive, so a
# garbage collection during the native call can free it. Documentation-comment ids, one a line. Generated from the IL
# of TorchSharp.dll (lib/net8.0) by build/ScalarScan; regenerate when the TorchSharp version changes:
#   dotnet run --project build/ScalarScan -c Release -- ~/.nuget/packages/torchsharp/<version>/lib/net8.0/TorchSharp.dll
""".TrimEnd());
foreach (var b in bad.Where(b => publicMethods.GetValueOrDefault(b)).OrderBy(x => x, StringComparer.Ordinal))
{
    var id = b.EndsWith("()", StringComparison.Ordinal) ? b[..^2] : b;
    Console.WriteLine("M:" + id.Replace("..ctor", ".#ctor"));
}

int OperandSize(int op)
{
    if (Table == null)
    {
        Table = new Dictionary<int, System.Reflection.Emit.OpCode>();
        foreach (var f in typeof(System.Reflection.Emit.OpCodes).GetFields())
        { var oc = (System.Reflection.Emit.OpCode)f.GetValue(null); Table[(ushort)oc.Value] = oc; }
    }
    var c = Table[op];
    return c.OperandType switch
    {
        System.Reflection.Emit.OperandType.InlineNone => 0,
        System.Reflection.Emit.OperandType.ShortInlineBrTarget or System.Reflection.Emit.OperandType.ShortInlineI or System.Reflection.Emit.OperandType.ShortInlineVar => 1,
        System.Reflection.Emit.OperandType.InlineVar => 2,
        System.Reflection.Emit.OperandType.InlineI8 or System.Reflection.Emit.OperandType.InlineR => 8,
        System.Reflection.Emit.OperandType.ShortInlineR => 4,
        _ => 4
    };
}
class SigProv : ISignatureTypeProvider<string, object>
{
    MetadataReader md; Func<EntityHandle, string> tn;
    public SigProv(MetadataReader md, Func<EntityHandle, string> tn) { this.md = md; this.tn = tn; }
    public string GetArrayType(string e, ArrayShape s) => e + "[" + new string(',', s.Rank - 1) + "]";
    public string GetByReferenceType(string e) => e + "@";
    public string GetFunctionPointerType(MethodSignature<string> s) => "fnptr";
    public string GetGenericInstantiation(string g, ImmutableArray<string> a) => g.Split('`')[0] + "{" + string.Join(",", a) + "}";
    public string GetGenericMethodParameter(object c, int i) => "``" + i;
    public string GetGenericTypeParameter(object c, int i) => "`" + i;
    public string GetModifiedType(string m, string u, bool r) => u;
    public string GetPinnedType(string e) => e;
    public string GetPointerType(string e) => e + "*";
    public string GetPrimitiveType(PrimitiveTypeCode t) => t switch { PrimitiveTypeCode.Boolean => "System.Boolean", PrimitiveTypeCode.Byte => "System.Byte", PrimitiveTypeCode.Char => "System.Char", PrimitiveTypeCode.Double => "System.Double", PrimitiveTypeCode.Int16 => "System.Int16", PrimitiveTypeCode.Int32 => "System.Int32", PrimitiveTypeCode.Int64 => "System.Int64", PrimitiveTypeCode.IntPtr => "System.IntPtr", PrimitiveTypeCode.Object => "System.Object", PrimitiveTypeCode.SByte => "System.SByte", PrimitiveTypeCode.Single => "System.Single", PrimitiveTypeCode.String => "System.String", PrimitiveTypeCode.UInt16 => "System.UInt16", PrimitiveTypeCode.UInt32 => "System.UInt32", PrimitiveTypeCode.UInt64 => "System.UInt64", PrimitiveTypeCode.UIntPtr => "System.UIntPtr", PrimitiveTypeCode.Void => "System.Void", _ => t.ToString() };
    public string GetSZArrayType(string e) => e + "[]";
    public string GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle h, byte k) => tn(h);
    public string GetTypeFromReference(MetadataReader r, TypeReferenceHandle h, byte k) => tn(h);
    public string GetTypeFromSpecification(MetadataReader r, object c, TypeSpecificationHandle h, byte k) => "spec";
}
