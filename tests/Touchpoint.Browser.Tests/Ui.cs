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
    /// <remarks>
    /// A dropdown that opens upwards, near the bottom of the window, is placed again just after it appears, and a
    /// click that lands while it moves reaches no option (seen once the page had grown enough to open the list
    /// upwards). So the pick is checked on the select itself and made again, as a person would, when it did not take.
    /// </remarks>
    public static async Task ChooseAsync(IPage page, string placeholderOrCurrent, string option)
    {
        var select = await page.Locator(".ant-select", new() { HasText = placeholderOrCurrent }).First.ElementHandleAsync();
        for (var attempt = 1; ; attempt++)
        {
            await select.ClickAsync();
            await page.Locator(".ant-select-dropdown:visible .ant-select-item-option", new() { HasText = option }).First.ClickAsync();
            try
            {
                await page.WaitForFunctionAsync("([el, text]) => el.querySelector('.ant-select-selection-item')?.textContent.includes(text)",
                    new object[] { select, option }, new() { Timeout = 3_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 3)
            {
            }
        }
    }
}
