# Runs one Stan program as bench/VsStan compares it: 4 chains x 1000 warm-up + 1000 draws, seed 1, one core.
# Usage: Rscript stan_run.R MODEL.stan DATA.R [optimize]; prints key=value lines (CPU seconds from proc.time, this
# process for sampling, child processes for the C++ compilation). With `optimize`, each chain starts at the mode that
# L-BFGS (rstan's optimizing, default settings) finds from Stan's uniform(-2, 2) start of seed = chain number; that
# search is timed into sample_cpu. With `theta=a,b,c,d` (Lotka-Volterra), every chain starts at that theta and z0 = y[1].
suppressMessages(library(rstan))
args <- commandArgs(TRUE)
data <- read_rdump(args[2])
t0 <- proc.time()
model <- stan_model(args[1])
tc <- proc.time() - t0
t1 <- proc.time()
init <- "random"
if (length(args) >= 3 && args[3] == "optimize") {
  init <- lapply(1:4, function(chain) {
    opt <- optimizing(model, data = data, seed = chain, as_vector = FALSE)
    cat(sprintf("start %d lp=%.4f return_code=%d\n", chain, opt$value, opt$return_code))
    opt$par
  })
}
if (length(args) >= 3 && startsWith(args[3], "theta=")) {
  # Every chain starts at the given theta with z0 at the first observation (Lotka-Volterra only); the mode L-BFGS
  # reaches from there is printed first, so that its log density can be set beside those of the other starts.
  theta0 <- as.numeric(strsplit(substring(args[3], 7), ",")[[1]])
  start <- list(theta = theta0, z0 = as.numeric(data$y[1, ]))
  opt <- optimizing(model, data = data, init = start, as_vector = FALSE)
  cat(sprintf("start given lp=%.4f return_code=%d theta=%s\n", opt$value, opt$return_code, paste(sprintf("%.4g", opt$par$theta), collapse = ",")))
  init <- lapply(1:4, function(chain) start)
}
fit <- sampling(model, data = data, chains = 4, iter = 2000, warmup = 1000, seed = 1, refresh = 0, cores = 1, init = init)
ts <- proc.time() - t1
mon <- monitor(fit, warmup = 0, print = FALSE)
params <- setdiff(rownames(mon), "lp__")
cat(sprintf("compile_wall=%.3f\ncompile_cpu=%.3f\n", tc[["elapsed"]], tc[["user.self"]] + tc[["sys.self"]] + tc[["user.child"]] + tc[["sys.child"]]))
cat(sprintf("sample_wall=%.3f\nsample_cpu=%.3f\n", ts[["elapsed"]], ts[["user.self"]] + ts[["sys.self"]]))
cat(sprintf("min_bulk_ess=%.1f\n", min(mon[params, "Bulk_ESS"])))
cat(sprintf("max_rhat=%.4f\n", max(mon[params, "Rhat"])))
sp <- get_sampler_params(fit, inc_warmup = FALSE)
cat(sprintf("divergent=%d\n", sum(sapply(sp, function(x) sum(x[, "divergent__"])))))
for (p in params) cat(sprintf("param %s %.6g %.6g %.1f\n", p, mon[p, "mean"], mon[p, "sd"], mon[p, "Bulk_ESS"]))
draws <- as.array(fit)
for (p in params) cat(sprintf("chainmeans %s %s\n", p, paste(sprintf("%.4g", apply(draws[, , p, drop = FALSE], 2, mean)), collapse = " ")))
