using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LossNotebooks.Optimization;

/// <summary>
/// One register of doubles, so a kernel is written once and compiled for 256- and 512-bit vectors: .NET 8 has no common
/// interface over Vector256 and Vector512, and the JIT specialises a generic method per struct type argument, so the
/// wrappers cost nothing once inlined.
/// </summary>
internal interface ISimd<TSelf> where TSelf : struct, ISimd<TSelf>
{
    static abstract int Lanes { get; }
    static abstract TSelf Load(ref double source, nuint offset);
    static abstract TSelf Splat(double value);
    /// <summary>a·b + acc, fused where the hardware has FMA.</summary>
    static abstract TSelf MulAdd(TSelf a, TSelf b, TSelf acc);
    void Store(ref double destination, nuint offset);
    double Sum();
}

internal readonly struct Simd256 : ISimd<Simd256>
{
    private readonly Vector256<double> _v;
    private Simd256(Vector256<double> v) => _v = v;
    public static int Lanes => 4;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Load(ref double source, nuint offset) => new(Vector256.LoadUnsafe(ref source, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 Splat(double value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256 MulAdd(Simd256 a, Simd256 b, Simd256 acc) =>
        new(Fma.IsSupported ? Fma.MultiplyAdd(a._v, b._v, acc._v) : a._v * b._v + acc._v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination, nuint offset) => _v.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Sum() => Vector256.Sum(_v);
}

/// <summary>Only used when <see cref="Avx512F.IsSupported"/>.</summary>
internal readonly struct Simd512 : ISimd<Simd512>
{
    private readonly Vector512<double> _v;
    private Simd512(Vector512<double> v) => _v = v;
    public static int Lanes => 8;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Load(ref double source, nuint offset) => new(Vector512.LoadUnsafe(ref source, offset));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Splat(double value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 MulAdd(Simd512 a, Simd512 b, Simd512 acc) => new(Avx512F.FusedMultiplyAdd(a._v, b._v, acc._v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination, nuint offset) => _v.StoreUnsafe(ref destination, offset);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Sum() => Vector512.Sum(_v);
}

/// <summary>Two registers used as one wider one: lets a kernel written for one vector per accumulator use two.</summary>
internal readonly struct SimdPair<V> : ISimd<SimdPair<V>> where V : struct, ISimd<V>
{
    private readonly V _lo, _hi;
    private SimdPair(V lo, V hi) { _lo = lo; _hi = hi; }
    public static int Lanes => 2 * V.Lanes;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdPair<V> Load(ref double source, nuint offset) =>
        new(V.Load(ref source, offset), V.Load(ref source, offset + (nuint)V.Lanes));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdPair<V> Splat(double value) { var v = V.Splat(value); return new(v, v); }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SimdPair<V> MulAdd(SimdPair<V> a, SimdPair<V> b, SimdPair<V> acc) =>
        new(V.MulAdd(a._lo, b._lo, acc._lo), V.MulAdd(a._hi, b._hi, acc._hi));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref double destination, nuint offset)
    {
        _lo.Store(ref destination, offset);
        _hi.Store(ref destination, offset + (nuint)V.Lanes);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Sum() => _lo.Sum() + _hi.Sum();
}
