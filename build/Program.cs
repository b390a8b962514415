return Lading.LadingHost.Create().Run(args);
