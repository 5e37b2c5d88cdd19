using AntDesign;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Touchpoint.Core.Common;
using Touchpoint.Core.OpenPlatform;
using Touchpoint.Server.Accounts;

namespace Touchpoint.Server.Components.Shared;

/// <summary>
/// Base of every console page: knows the signed-in actor and shows a rule's refusal as a Chinese message
/// instead of breaking the circuit.
/// </summary>
public abstract class ConsolePage : ComponentBase
{
    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;
    [Inject] protected IMessageService Message { get; set; } = default!;
    [Inject] protected NavigationManager Nav { get; set; } = default!;

    protected Actor Actor { get; private set; } = default!;

    /// <summary>The last refusal, for pages that show it inline (e.g. a forbidden device).</summary>
    protected TouchpointException? Failure { get; private set; }

    protected sealed override async Task OnInitializedAsync()
    {
        Actor = Actor.From((await AuthState).User) ?? throw new InvalidOperationException("Console page rendered without an account.");
        await RunAsync(LoadAsync);
    }

    /// <summary>First load of the page's data; failures land in <see cref="Failure"/>.</summary>
    protected virtual Task LoadAsync() => Task.CompletedTask;

    protected async Task<bool> RunAsync(Func<Task> action, string? success = null)
    {
        try
        {
            Failure = null;
            await action();
            if (success is not null)
            {
                _ = Message.SuccessAsync(success);
            }
            return true;
        }
        catch (TouchpointException e)
        {
            Failure = e;
            _ = Message.ErrorAsync(e.Message);
            return false;
        }
        catch (OpenPlatformViolation e)
        {
            Failure = TouchpointException.Invalid(e.Message);
            _ = Message.ErrorAsync(e.Message);
            return false;
        }
    }
}
