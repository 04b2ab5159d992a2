using LossNotebooks.Display;

namespace LossNotebooks.Tests.Display;

public class TablesTests
{
    [Fact]
    public void Columns_are_right_aligned_and_doubles_use_four_significant_digits()
    {
        var t = Tables.Table(["x", "value"], [[1, 3.14159265], [10, -0.000123456]]);
        Assert.Equal(" x       value\n--  ----------\n 1       3.142\n10  -0.0001235", t);
    }

    [Fact]
    public void MaxRows_keeps_the_first_rows_and_says_how_many_were_left_out()
    {
        var t = Tables.Table(["k"], Enumerable.Range(0, 10).Select(k => new object?[] { k }), maxRows: 3);
        Assert.Equal("k\n-\n0\n1\n2\n(… 7 more rows)", t);
    }

    [Fact]
    public void A_row_of_the_wrong_width_is_an_argument_error()
    {
        var e = Assert.Throws<ArgumentException>(() => Tables.Table(["a", "b"], [[1]]));
        Assert.Equal("rows", e.ParamName);
    }

    [Fact]
    public void Null_cells_print_empty()
    {
        Assert.Equal("a  b\n-  -\n   2", Tables.Table(["a", "b"], [[null, 2]]));
    }
}
