using System.Numerics;

namespace LossNotebooks.Differentiation;

/// <summary>A scalar function of a vector (a flattened matrix is a vector). Spans cannot be generic arguments on net8.0.</summary>
public delegate double ScalarFunction(ReadOnlySpan<double> x);

/// <summary>The same function over complex arguments, for the complex-step derivative.</summary>
public delegate Complex ComplexScalarFunction(ReadOnlySpan<Complex> x);

/// <summary>A vector function of a vector: writes f(x) into <c>result</c>.</summary>
public delegate void VectorFunction(ReadOnlySpan<double> x, Span<double> result);
