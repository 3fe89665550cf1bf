// The Ppl example examples/lotka_volterra.ppl written out in Stan: the same priors and the same fixed-step RK4
// (20 steps per interval between the 10 observation times), so both samplers target the same density.
functions {
  vector rhs(vector u, vector p) {
    vector[2] du;
    du[1] = (p[1] - p[2] * u[2]) * u[1];
    du[2] = (-p[3] + p[4] * u[1]) * u[2];
    return du;
  }
}
data {
  int<lower=2> T;
  matrix<lower=0>[T, 2] y;
  real<lower=0> noise;
  real<lower=0> t_end;
  int<lower=1> steps;
}
parameters {
  vector<lower=0>[4] theta;
  vector<lower=0>[2] z0;
}
model {
  vector[2] u = z0;
  real h = t_end / (T - 1) / steps;
  theta ~ lognormal([-0.125, -3.0, -0.125, -3.0]', 0.5);
  z0 ~ lognormal(log(3.0), 0.5);
  y[1]' ~ lognormal(log(u), noise);
  for (t in 2:T) {
    for (s in 1:steps) {
      vector[2] k1 = rhs(u, theta);
      vector[2] k2 = rhs(u + 0.5 * h * k1, theta);
      vector[2] k3 = rhs(u + 0.5 * h * k2, theta);
      vector[2] k4 = rhs(u + h * k3, theta);
      u = u + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    }
    y[t]' ~ lognormal(log(u), noise);
  }
}
