namespace ServerlessMonitor.Functions.Accounts;

/// <param name="Id">The account of this address: the same on every sign-up with it.</param>
/// <param name="Status">Always pending: the answer never tells whether the address has an account.</param>
public sealed record SignupAnswer(string Id, string Status);
