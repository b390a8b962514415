using Cake.Frosting;
using Lading;

return new CakeHost()
    .UseContext<BuildContext>()
    .UseLifetime<BuildLifetime>()
    .UseTaskLifetime<TaskLifetime>()
    .Run(args);
