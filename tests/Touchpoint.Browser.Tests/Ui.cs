using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Touchpoint.Browser.Tests;

/// <summary>Locators for AntDesign's markup, shared by the journeys.</summary>
internal static class Ui
{
    /// <summary>A visible button by its label; Ant Design may space out two-character Chinese labels ("查 询").</summary>
    public static ILocator Button(IPage page, string text) =>
        page.Locator("button:visible", new() { HasTextRegex = new Regex(string.Join(@"\s*", text.Select(c => Regex.Escape(c.ToString())))) });

    /// <summary>Clicks a button that navigates in the circuit and waits for <paramref name="url"/>, clicking again once when it did not go.</summary>
    /// <remarks>
    /// Seen in full runs on a busy host: after a click on 发起授权 the page was not at the new address within 30 s, and
    /// another time the button was gone yet the address not reached in 10 s; the same journey passes alone again and
    /// again. The address is awaited as soon as it is committed (not until a load event, which a navigation inside
    /// the circuit may never fire); the button is clicked again only while it is still there, and a screenshot is
    /// kept when even that fails.
    /// </remarks>
    public static async Task ClickToAsync(IPage page, ILocator button, string url)
    {
        await button.ClickAsync();
        try
        {
            await page.WaitForURLAsync(url, new() { Timeout = 10_000, WaitUntil = WaitUntilState.Commit });
            return;
        }
        catch (System.TimeoutException)
        {
        }
        try
        {
            if (await button.IsVisibleAsync())
            {
                await button.ClickAsync(new() { Timeout = 10_000 });
            }
            await page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        }
        catch (System.TimeoutException)
        {
            await BrowserFixture.ShotAsync(page, "failed-click-to-" + new Uri(url).AbsolutePath.Replace('/', '-'));
            throw new System.TimeoutException($"clicking did not reach {url}; the page is at {page.Url}");
        }
    }

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
            var item = page.Locator(".ant-select-dropdown:visible .ant-select-item-option", new() { HasText = option }).First;
            await SettledAsync(item);
            await item.ClickAsync();
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

    /// <summary>
    /// Confirms the open Popconfirm once it has settled. AntDesign places an overlay again after it appears (a JS round
    /// trip later, longer than Playwright's own stability check); on a page taller than the window the first place can
    /// be off screen, Playwright scrolls to it, and the click then lands where the popover no longer is — which closes it
    /// unconfirmed. Seen once the console's menu grew past the window's height.
    /// </summary>
    public static async Task ConfirmPopoverAsync(IPage page)
    {
        var ok = page.Locator(".ant-popover:visible button.ant-btn-primary");
        await SettledAsync(ok);
        await ok.ClickAsync();
        await ok.WaitForAsync(new() { State = WaitForSelectorState.Hidden });
    }

    /// <summary>Waits until the element has kept its place for 300 ms.</summary>
    private static async Task SettledAsync(ILocator element)
    {
        await element.WaitForAsync();
        var last = await element.BoundingBoxAsync();
        var still = 0;
        for (var i = 0; i < 50 && still < 3; i++)
        {
            await Task.Delay(100);
            var now = await element.BoundingBoxAsync();
            still = now is not null && last is not null && now.X == last.X && now.Y == last.Y ? still + 1 : 0;
            last = now;
        }
    }
}
