data {
  int<lower=0> N;
  vector[N] y;
  vector[N - 5] y_next;
}
parameters {
  real alpha;
  vector[5] beta;
  real<lower=0> sigma;
}
model {
  vector[N - 5] mu = alpha + beta[1] * y[5:(N - 1)] + beta[2] * y[4:(N - 2)] + beta[3] * y[3:(N - 3)]
                     + beta[4] * y[2:(N - 4)] + beta[5] * y[1:(N - 5)];
  alpha ~ normal(0, 10);
  beta ~ normal(0, 10);
  sigma ~ cauchy(0, 2.5);
  y_next ~ normal(mu, sigma);
}
