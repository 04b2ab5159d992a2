using System.Numerics;

namespace LossNotebooks.Tests.Differentiation;

/// <summary>Smooth scalar test functions with hand-written derivatives (the references never come from the engine).</summary>
public sealed record TestFunction(string Name, Func<double, double> F, Func<Complex, Complex> C, Func<double, double> D1, Func<double, double> D2)
{
    public override string ToString() => Name;

    public static readonly TestFunction Sin = new("sin", Math.Sin, Complex.Sin, Math.Cos, x => -Math.Sin(x));
    public static readonly TestFunction Exp = new("exp", Math.Exp, Complex.Exp, Math.Exp, Math.Exp);
    public static readonly TestFunction Log1p = new("log1p", x => Math.Log(1 + x), z => Complex.Log(1 + z), x => 1 / (1 + x), x => -1 / ((1 + x) * (1 + x)));
    // p(x) = x⁵ − 3x³ + 2x − 1: degree 5, so the five-point rule (exact to degree 4) still has truncation error.
    public static readonly TestFunction Poly = new("x⁵−3x³+2x−1",
        x => ((x * x - 3) * x * x + 2) * x - 1, z => ((z * z - 3) * z * z + 2) * z - 1,
        x => 5 * Math.Pow(x, 4) - 9 * x * x + 2, x => 20 * x * x * x - 18 * x);

    public static readonly TestFunction[] All = [Sin, Exp, Log1p, Poly];

    /// <summary>Points kept where every function is defined and |f'| is not tiny (relative errors stay meaningful).</summary>
    public static readonly double[] Points = [0.3, 0.7, 1.3];

    public static IEnumerable<object[]> Cases => from f in All from x in Points select new object[] { f.Name, x };

    public static TestFunction ByName(string name) => All.Single(f => f.Name == name);
}
