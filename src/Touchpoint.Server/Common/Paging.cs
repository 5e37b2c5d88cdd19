using Microsoft.EntityFrameworkCore;

namespace Touchpoint.Server.Common;

/// <summary>Which page of a list: 1-based, at most <see cref="MaxSize"/> rows, so no list stops silently at a cap.</summary>
public readonly record struct PageRequest(int Page, int PageSize)
{
    /// <summary>The console's page.</summary>
    public const int DefaultSize = 20;
    /// <summary>The JSON API's page when the caller names none.</summary>
    public const int ApiDefaultSize = 50;
    public const int MaxSize = 200;

    public static PageRequest First { get; } = new(1, DefaultSize);

    /// <summary>From query parameters; out-of-range values are brought into range rather than refused.</summary>
    public static PageRequest Of(int? page, int? pageSize) => new(Math.Clamp(page ?? 1, 1, MaxPage), Math.Clamp(pageSize ?? ApiDefaultSize, 1, MaxSize));

    /// <summary>Far past any real list; keeps the offset inside an int.</summary>
    public const int MaxPage = int.MaxValue / MaxSize;

    public int Skip => (Math.Clamp(Page, 1, MaxPage) - 1) * Math.Clamp(PageSize, 1, MaxSize);
}

/// <summary>One page of a list and how many rows the whole list has.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    public Paged<TOut> Map<TOut>(Func<T, TOut> map) => With(Items.Select(map).ToList());

    /// <summary>The same page with its rows replaced (e.g. entities summarized for the view).</summary>
    public Paged<TOut> With<TOut>(IReadOnlyList<TOut> items) => new(items, Total, Page, PageSize);
}

public static class PagingExtensions
{
    /// <summary>The requested page of an ordered query, and the count of all its rows.</summary>
    public static async Task<Paged<T>> ToPageAsync<T>(this IQueryable<T> ordered, PageRequest page, CancellationToken ct)
    {
        var total = await ordered.CountAsync(ct);
        var items = await ordered.Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        return new Paged<T>(items, total, page.Page, page.PageSize);
    }

    /// <summary>
    /// The JSON API answers a list with the page's rows as the body (the shape clients already read) and the paging in
    /// headers: <c>X-Total-Count</c>, <c>X-Page</c>, <c>X-Page-Size</c>.
    /// </summary>
    public static IReadOnlyList<T> WriteTo<T>(this Paged<T> page, HttpResponse response)
    {
        response.Headers["X-Total-Count"] = page.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["X-Page"] = page.Page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["X-Page-Size"] = page.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return page.Items;
    }
}
