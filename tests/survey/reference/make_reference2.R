# Reference values from R's survey package for the checks added after make_reference.R:
# domain contrasts with the domain's degrees of freedom (svyglm on the compared rows), the
# AVERAGE lonely-stratum policy per domain, and designs from delivered replicate weights
# (svrepdesign). Run from this folder after make_reference.R:  Rscript make_reference2.R
# Writes replicates_jkn.csv, replicates_jk1.csv, replicates_boot.csv and reference2.json
# (one entry per R call, as reference.json).
suppressMessages(library(survey))
library(jsonlite)
options(survey.lonely.psu = "fail")

res <- list()
run <- function(name, code) {
  val <- eval(parse(text = code), envir = globalenv())
  res[[name]] <<- c(list(call = code), extract(val))
  invisible(val)
}
extract <- function(x) {
  if (inherits(x, "svyby")) return(list(estimate = unname(coef(x)), se = unname(SE(x)), domain = as.character(x[[1]])))
  if (inherits(x, "svystat") || inherits(x, "svrepstat")) return(list(estimate = unname(as.vector(coef(x))),
                                                                      se = unname(as.vector(SE(x)))))
  if (is.numeric(x)) return(list(value = unname(as.vector(x))))
  stop("cannot extract ", class(x))
}
# the domain contrast: coefficient of the second level in svyglm(y ~ by) on the compared rows,
# with svyglm's residual df and summary()'s t-test p-value (a subset of a calibrated design keeps
# every level of the factor, so there glm aliases the last compared level instead)
contrast <- function(name, code) {
  m <- eval(parse(text = code), envir = globalenv())
  cf <- summary(m)$coefficients
  res[[name]] <<- list(call = code, estimate = unname(cf[2, 1]), se = unname(cf[2, 2]),
                       df = m$df.residual, p_value = unname(cf[2, 4]))
}

apistrat <- read.csv("apistrat.csv", stringsAsFactors = FALSE)
apiclus1 <- read.csv("apiclus1.csv", stringsAsFactors = FALSE)
ml <- read.csv("monitorlike.csv", stringsAsFactors = FALSE)
mm <- read.csv("monitorlike_margins.csv", stringsAsFactors = FALSE)
lone <- read.csv("apistrat_lonely.csv", stringsAsFactors = FALSE)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
pop_stype <- c(E = 4421, H = 755, M = 1018)
pop_rake <- c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, sch.wideYes = 5122)
dcal <- calibrate(dclus1, ~stype + sch.wide, pop_rake, calfun = "raking", epsilon = 1e-12)
pop_for <- function(formula) {
  nm <- colnames(model.matrix(formula, ml))
  vars <- all.vars(formula)
  total <- sum(mm$total[mm$margin == vars[1]])
  sapply(nm, function(n) {
    if (n == "(Intercept)") return(total)
    for (v in vars) if (startsWith(n, v)) return(mm$total[mm$margin == v & mm$level == substring(n, nchar(v) + 1)])
  })
}
dml <- svydesign(id = ~1, strata = ~stratum, weights = ~weight, fpc = ~N_h, data = ml)
dml_rake <- calibrate(dml, ~stratum + sex + age, pop_for(~stratum + sex + age), calfun = "raking", epsilon = 1e-12)

## ---- domain contrasts: df of the compared rows with answers ------------------------------------
contrast("glm_strat_EH", "svyglm(api00 ~ stype, subset(dstrat, stype %in% c('E', 'H')))")
contrast("glm_strat_EH_na", "svyglm(api00_na ~ stype, subset(dstrat, stype %in% c('E', 'H') & !is.na(api00_na)))")
contrast("glm_cal_HM", "svyglm(api00 ~ stype, subset(dcal, stype %in% c('H', 'M')))")
contrast("glm_cal_HM_na", "svyglm(yes_na ~ stype, subset(dcal, stype %in% c('H', 'M') & !is.na(yes_na)))")
contrast("glm_ml_CdK_PS", "svyglm(trust ~ stratum, subset(dml_rake, stratum %in% c('CdK', 'PS') & !is.na(trust)))")
contrast("glm_ml_sex_in_CdK", "svyglm(victim ~ sex, subset(dml_rake, stratum == 'CdK'))")
contrast("glm_ml_sex", "svyglm(victim ~ sex, dml_rake)")

## ---- AVERAGE lonely strata: only domains that touch the lonely stratum are inflated -----------
options(survey.lonely.psu = "average")
dlone <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = lone)
run("average_mean", "svymean(~api00, dlone)")
run("average_by_stype", "svyby(~api00, ~stype, dlone, svymean)")
run("average_by_schwide", "svyby(~api00, ~sch.wide, dlone, svymean)")
run("average_by_schwide_na", "svyby(~api00_na, ~sch.wide, dlone, svymean, na.rm = TRUE)")
run("average_mean_na", "svymean(~api00_na, dlone, na.rm = TRUE)")
options(survey.lonely.psu = "fail")

## ---- delivered replicate weights (svrepdesign) ----------------------------------------------
jkn <- as.svrepdesign(dstrat, type = "JKn", compress = FALSE)
rw <- matrix(as.numeric(unclass(weights(jkn, "analysis"))), nrow = nrow(apistrat))
write.csv(data.frame(apistrat[, c("cds", "stype", "pw", "api00", "yes", "api00_na")], rw), "replicates_jkn.csv",
          row.names = FALSE, na = "")
res$jkn_rscales <- list(call = "jkn$rscales", value = unname(jkn$rscales))
jkn_cols <- paste0("X", seq_len(ncol(rw)))
run("svrep_jkn_mean", sprintf("svymean(~api00 + yes, svrepdesign(data = read.csv('replicates_jkn.csv'), weights = ~pw, repweights = '%s', type = 'JKn', rscales = jkn$rscales, combined.weights = TRUE))", "X[0-9]+"))
run("svrep_jkn_by", "svyby(~api00_na, ~stype, svrepdesign(data = read.csv('replicates_jkn.csv'), weights = ~pw, repweights = 'X[0-9]+', type = 'JKn', rscales = jkn$rscales, combined.weights = TRUE), svymean, na.rm = TRUE)")
run("svrep_jkn_degf", "degf(svrepdesign(data = read.csv('replicates_jkn.csv'), weights = ~pw, repweights = 'X[0-9]+', type = 'JKn', rscales = jkn$rscales, combined.weights = TRUE))")
run("svrep_jkn_mse", "svymean(~api00, svrepdesign(data = read.csv('replicates_jkn.csv'), weights = ~pw, repweights = 'X[0-9]+', type = 'JKn', rscales = jkn$rscales, combined.weights = TRUE, mse = TRUE))")
jk1 <- as.svrepdesign(dclus1, type = "JK1", compress = FALSE)
f1 <- matrix(as.numeric(unclass(jk1$repweights)), nrow = nrow(apiclus1))  # factors, not combined
write.csv(data.frame(apiclus1[, c("cds", "stype", "sch.wide", "pw", "api00", "enroll", "api.stu")], f1),
          "replicates_jk1.csv", row.names = FALSE, na = "")
run("svrep_jk1_mean", "svymean(~api00, svrepdesign(data = read.csv('replicates_jk1.csv'), weights = ~pw, repweights = 'X[0-9]+', type = 'JK1', combined.weights = FALSE))")
run("svrep_jk1_total", "svytotal(~enroll, svrepdesign(data = read.csv('replicates_jk1.csv'), weights = ~pw, repweights = 'X[0-9]+', type = 'JK1', combined.weights = FALSE))")
run("svrep_jk1_rake", "svymean(~api00, calibrate(svrepdesign(data = read.csv('replicates_jk1.csv'), weights = ~pw, repweights = 'X[0-9]+', type = 'JK1', combined.weights = FALSE), ~stype + sch.wide, pop_rake, calfun = 'raking', epsilon = 1e-12, compress = FALSE))")
set.seed(14)
boot <- as.svrepdesign(dclus1, type = "bootstrap", replicates = 50, compress = FALSE)
write.csv(data.frame(apiclus1[, c("cds", "pw", "api00")], matrix(as.numeric(unclass(weights(boot, "analysis"))), nrow = nrow(apiclus1))), "replicates_boot.csv",
          row.names = FALSE, na = "")
run("svrep_boot_mean", "svymean(~api00, svrepdesign(data = read.csv('replicates_boot.csv'), weights = ~pw, repweights = 'X[0-9]+', type = 'bootstrap', combined.weights = TRUE))")
run("svrep_other_mean", "svymean(~api00, svrepdesign(data = read.csv('replicates_boot.csv'), weights = ~pw, repweights = 'X[0-9]+', type = 'other', scale = 0.5, rscales = rep(c(1, 3), 25), combined.weights = TRUE))")
run("svrep_fay_mean", "svymean(~api00, svrepdesign(data = read.csv('replicates_boot.csv'), weights = ~pw, repweights = 'X[0-9]+', type = 'Fay', rho = 0.3, combined.weights = TRUE))")
run("svrep_brr_mean", "svymean(~api00, svrepdesign(data = read.csv('replicates_boot.csv'), weights = ~pw, repweights = 'X[0-9]+', type = 'BRR', combined.weights = TRUE))")
run("svrep_sdr_mean", "svymean(~api00, svrepdesign(data = read.csv('replicates_boot.csv'), weights = ~pw, repweights = 'X[0-9]+', type = 'successive-difference', combined.weights = TRUE))")

## ---- degrees of freedom of jackknife designs (rank of the replicate weights - 1) ------------
run("degf_jkn_strat", "degf(as.svrepdesign(dstrat, type = 'JKn'))")
run("degf_jk1_rake", "degf(calibrate(as.svrepdesign(dclus1, type = 'JK1'), ~stype + sch.wide, pop_rake, calfun = 'raking', epsilon = 1e-12, compress = FALSE))")
run("degf_jkn_ml_rake", "degf(calibrate(as.svrepdesign(dml, type = 'JKn'), ~stratum + sex + age, pop_for(~stratum + sex + age), calfun = 'raking', epsilon = 1e-12))")

write_json(res, "reference2.json", digits = NA, auto_unbox = TRUE, pretty = FALSE)
cat("wrote", length(res), "reference entries\n")
