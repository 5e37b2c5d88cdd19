using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Touchpoint.Browser.Tests;

/// <summary>Locators for AntDesign's markup, shared by the journeys.</summary>
internal static class Ui
{
    /// <summary>A visible button by its label; Ant Design may space out two-character Chinese labels ("查 询").</summary>
    public static ILocator Button(IPage page, string text) =>
        page.Locator("button:visible", new() { HasTextRegex = new Regex(string.Join(@"\s*", text.Select(c => Regex.Escape(c.ToString())))) });

    /// <summary>The data rows of the tables on the page.</summary>
    public static ILocator Rows(IPage page) => page.Locator("tbody tr.ant-table-row");

    /// <summary>Opens the select showing <paramref name="placeholderOrCurrent"/> and picks <paramref name="option"/>.</summary>
    public static async Task ChooseAsync(IPage page, string placeholderOrCurrent, string option)
    {
        await page.Locator(".ant-select", new() { HasText = placeholderOrCurrent }).First.ClickAsync();
        await page.Locator(".ant-select-dropdown:visible .ant-select-item-option", new() { HasText = option }).First.ClickAsync();
    }
}
