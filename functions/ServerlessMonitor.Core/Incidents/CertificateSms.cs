namespace ServerlessMonitor.Core.Incidents;

/// <summary>
/// A certificate warning as one SMS: at most <see cref="Gsm7.Segment"/> GSM-7 septets, whatever
/// the monitor's name or the certificate's subject. <c>CERTIFICATE: &lt;name&gt;</c>, then when it
/// expires, then the subject; the subject gives way first, then the name.
/// </summary>
public static class CertificateSms
{
    /// <summary>Room the name keeps before the subject is dropped: enough to tell monitors apart.</summary>
    private const int NameRoom = 24;

    public static string Text(CertificateNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var head = "CERTIFICATE: ";
        var name = Gsm7.Fold(notice.Monitor.Name);
        var when = $"{notice.Expires} ({CertificateMessages.Day(notice.Certificate.ExpiresAt)})";
        var subject = Gsm7.Fold(notice.Certificate.Subject);

        // Everything here is folded to the basic set: one character, one septet.
        var room = Gsm7.Segment - head.Length - 1 - when.Length;
        if (name.Length + 1 + subject.Length <= room)
        {
            return $"{head}{name}\n{when}\n{subject}";
        }

        if (Math.Min(name.Length, NameRoom) + 1 + subject.Length <= room)
        {
            return $"{head}{Fit(name, room - 1 - subject.Length)}\n{when}\n{subject}";
        }

        return $"{head}{Fit(name, room)}\n{when}";
    }

    private static string Fit(string text, int septets) =>
        text.Length <= septets ? text : septets <= 1 ? string.Empty : $"{text[..(septets - 1)].TrimEnd()}.";
}
