using System.Net.Http.Headers;
using Touchpoint.Server.Posters;

namespace Touchpoint.Server.Tests.Infrastructure;

/// <summary>Posters through the public API: upload, mode, placement.</summary>
public static class PosterScenario
{
    public static async Task<HttpResponseMessage> UploadPosterAsync(this HttpClient client, string name, byte[] image, string fileName = "poster.png")
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(name), "name");
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return await client.PostAsync("/api/posters", form);
    }

    public static async Task<PosterView> NewPosterAsync(this TestAccount owner, string name, int size = 400) =>
        await (await owner.Client.UploadPosterAsync(name, TestImages.Png(size))).ReadAsync<PosterView>();

    public static Task<PosterModeResult> AdminModeAsync(this TestAccount owner, string sn, bool on) =>
        owner.Client.PutAsync<PosterModeResult>($"/api/devices/{sn}/poster-mode", new PosterModeEdit(on));

    public static Task<HttpResponseMessage> PlaceAsync(this HttpClient client, long posterId, string[] sns, DateTime? start = null, DateTime? end = null, int? order = null) =>
        client.PostAsync("/api/posters/placements", System.Net.Http.Json.JsonContent.Create(new PlacementRequest(posterId, sns, start, end, order), options: ApiClient.Json));

    public static async Task<PlacementResult> PlaceOkAsync(this TestAccount owner, long posterId, string[] sns, DateTime? start = null, DateTime? end = null, int? order = null) =>
        await (await owner.Client.PlaceAsync(posterId, sns, start, end, order)).ReadAsync<PlacementResult>();

    /// <summary>Waits until the device reports the revision the platform holds, and returns the screen view then.</summary>
    public static async Task<ScreenView> WaitSyncedAsync(this HttpClient client, string sn, Func<ScreenView, bool>? also = null, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var screen = await client.GetAsync<ScreenView>($"/api/devices/{sn}/screen");
            if (screen.ReportedRevision == screen.Revision && (also?.Invoke(screen) ?? true))
            {
                return screen;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{sn} never reported revision {screen.Revision} (it reports {screen.ReportedRevision}): {string.Join("；", screen.Differences)}");
            await Task.Delay(200);
        }
    }
}
