data {
  int<lower=0> N;
  vector[N] mom_hs;
  vector[N] mom_iq;
  vector[N] kid_score;
}
parameters {
  vector[3] beta;
  real<lower=0> sigma;
}
model {
  beta ~ normal(0, 100);
  sigma ~ cauchy(0, 10);
  kid_score ~ normal(beta[1] + beta[2] * mom_hs + beta[3] * mom_iq, sigma);
}
