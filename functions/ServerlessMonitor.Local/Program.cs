Console.Error.WriteLine("not yet");
