# Reference values from R's survey package for tests/survey (miv.survey).
# Run from this folder:  Rscript make_reference.R
# Writes apistrat.csv, apiclus1.csv, api_margins.csv (R's own api data) and reference.json:
# one entry per R call, {"call": <the R code>, <quantity>: [values]}. Tests name the call.
suppressMessages(library(survey))
library(jsonlite)
options(survey.lonely.psu = "fail")
data(api)

res <- list()
run <- function(name, code) {
  val <- eval(parse(text = code), envir = globalenv())
  res[[name]] <<- c(list(call = code), extract(val))
  invisible(val)
}
extract <- function(x) {
  if (inherits(x, "svyby")) {
    out <- list(estimate = unname(coef(x)), se = unname(SE(x)), domain = as.character(x[[1]]))
    if (!is.null(attr(x, "deffs")) || "DEff" %in% substr(names(x), 1, 4)) out$deff <- unname(deff(x))
    if (!is.null(attr(x, "ci_low"))) { out$ci_low <- attr(x, "ci_low"); out$ci_high <- attr(x, "ci_high") }
    return(out)
  }
  if (inherits(x, "svyciprop")) return(list(estimate = unname(as.numeric(x)), ci = unname(attr(x, "ci")),
                                             se = unname(sqrt(attr(x, "var")))))
  if (inherits(x, "svyratio")) return(list(estimate = unname(as.vector(coef(x))), se = unname(as.vector(SE(x)))))
  if (inherits(x, "htest")) return(list(statistic = unname(x$statistic), parameter = unname(x$parameter),
                                         p_value = unname(x$p.value)))
  if (inherits(x, "newsvyquantile")) return(lapply(x, function(m) list(quantile = unname(m[, 1]),
                                       ci_low = unname(m[, 2]), ci_high = unname(m[, 3]), se = unname(m[, 4]))))
  if (inherits(x, "svystat") || inherits(x, "svrepstat")) {
    out <- list(estimate = unname(as.vector(coef(x))), se = unname(as.vector(SE(x))))
    if (!is.null(attr(x, "deff"))) out$deff <- unname(diag(as.matrix(attr(x, "deff"))))
    return(out)
  }
  if (inherits(x, "svycontrast")) return(list(estimate = unname(as.vector(coef(x))), se = unname(as.vector(SE(x)))))
  if (is.numeric(x)) return(list(value = unname(as.vector(x))))
  stop("cannot extract ", class(x))
}

## ---- api data -----------------------------------------------------------------------------
prep <- function(d) {
  d$yes <- as.numeric(d$sch.wide == "Yes")
  d$awards01 <- as.numeric(d$awards == "Yes")
  d$stype <- as.character(d$stype)
  d$sch.wide <- as.character(d$sch.wide)
  d$api00_na <- ifelse(seq_len(nrow(d)) %% 7 == 0, NA, d$api00)   # item non-response
  d$yes_na <- ifelse(seq_len(nrow(d)) %% 5 == 0, NA, d$yes)
  d
}
apistrat <- prep(apistrat)
apiclus1 <- prep(apiclus1)
keep <- c("cds", "stype", "dnum", "fpc", "pw", "api00", "api99", "enroll", "api.stu", "sch.wide", "awards",
          "yes", "awards01", "api00_na", "yes_na")
write.csv(apistrat[, keep], "apistrat.csv", row.names = FALSE, na = "")
write.csv(apiclus1[, keep], "apiclus1.csv", row.names = FALSE, na = "")
pop_stype <- table(apipop$stype)
pop_sw <- table(apipop$sch.wide)
margins <- data.frame(margin = c(rep("stype", 3), rep("sch.wide", 2)),
                      level = c(names(pop_stype), names(pop_sw)),
                      total = c(as.vector(pop_stype), as.vector(pop_sw)))
margins <- rbind(margins, data.frame(margin = "api99", level = "total", total = sum(apipop$api99)))
write.csv(margins, "api_margins.csv", row.names = FALSE)

dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = apistrat)
dclus1 <- svydesign(id = ~dnum, weights = ~pw, fpc = ~fpc, data = apiclus1)
pop_cal <- c(`(Intercept)` = sum(pop_stype), stypeH = pop_stype[["H"]], stypeM = pop_stype[["M"]])
pop_rake <- c(pop_cal, sch.wideYes = pop_sw[["Yes"]])
pop_api99 <- c(pop_cal, api99 = sum(apipop$api99))

run("strat_mean", "svymean(~api00 + enroll, dstrat, deff = TRUE)")
run("strat_total", "svytotal(~enroll, dstrat, deff = TRUE)")
run("strat_mean_na", "svymean(~api00_na, dstrat, na.rm = TRUE)")
run("strat_by", "svyby(~api00, ~stype, dstrat, svymean, deff = TRUE)")
run("strat_by_na", "svyby(~api00_na, ~stype, dstrat, svymean, na.rm = TRUE)")
run("strat_total_by", "svyby(~enroll, ~stype, dstrat, svytotal)")
run("clus_mean", "svymean(~api00, dclus1, deff = TRUE)")
run("clus_by", "svyby(~api00, ~stype, dclus1, svymean)")
run("clus_total", "svytotal(~enroll, dclus1, deff = TRUE)")
run("clus_ratio", "svyratio(~api.stu, ~enroll, dclus1)")
run("clus_ratio_by", "svyby(~api.stu, ~stype, dclus1, svyratio, denominator = ~enroll)")
run("degf_clus", "degf(dclus1)")

# weighting
dcal <- calibrate(dclus1, ~stype, pop_cal)
run("cal_linear_weights", "weights(calibrate(dclus1, ~stype, pop_cal))")
run("cal_linear_mean", "svymean(~api00, calibrate(dclus1, ~stype, pop_cal))")
run("cal_linear_by", "svyby(~api00, ~stype, calibrate(dclus1, ~stype, pop_cal), svymean)")
run("cal_api99_weights", "weights(calibrate(dclus1, ~stype + api99, pop_api99))")
run("cal_api99_mean", "svymean(~api00 + yes, calibrate(dclus1, ~stype + api99, pop_api99))")
run("cal_bounded_weights", "weights(calibrate(dclus1, ~stype + api99, pop_api99, bounds = c(0.7, 1.7), epsilon = 1e-12))")
run("cal_bounded_mean", "svymean(~api00, calibrate(dclus1, ~stype + api99, pop_api99, bounds = c(0.7, 1.7), epsilon = 1e-12))")
run("cal_raking_weights", "weights(calibrate(dclus1, ~stype + sch.wide, pop_rake, calfun = 'raking', epsilon = 1e-12))")
run("cal_raking_mean", "svymean(~api00, calibrate(dclus1, ~stype + sch.wide, pop_rake, calfun = 'raking', epsilon = 1e-12))")
run("cal_raking_mean_na", "svymean(~yes_na, calibrate(dclus1, ~stype + sch.wide, pop_rake, calfun = 'raking', epsilon = 1e-12), na.rm = TRUE)")
run("cal_raking_by", "svyby(~api00, ~stype, calibrate(dclus1, ~stype + sch.wide, pop_rake, calfun = 'raking', epsilon = 1e-12), svymean)")
run("cal_logit_weights", "weights(calibrate(dclus1, ~stype + api99, pop_api99, calfun = 'logit', bounds = c(0.6, 1.6), epsilon = 1e-12))")
run("cal_logit_mean", "svymean(~api00, calibrate(dclus1, ~stype + api99, pop_api99, calfun = 'logit', bounds = c(0.6, 1.6), epsilon = 1e-12))")
run("cal_strat_raking_mean", "svymean(~api00, calibrate(dstrat, ~stype + sch.wide, pop_rake, calfun = 'raking', epsilon = 1e-12))")
ps_pop <- data.frame(stype = names(pop_stype), Freq = as.vector(pop_stype))
run("ps_weights", "weights(postStratify(dclus1, ~stype, ps_pop))")
run("ps_mean", "svymean(~api00, postStratify(dclus1, ~stype, ps_pop))")
run("ps_by", "svyby(~api00, ~stype, postStratify(dclus1, ~stype, ps_pop), svymean)")
run("trim_weights", "weights(trimWeights(calibrate(dclus1, ~stype + api99, pop_api99), upper = 38, lower = 30))")
run("trim_mean", "svymean(~api00, trimWeights(calibrate(dclus1, ~stype + api99, pop_api99), upper = 38, lower = 30))")
run("trim_strict_weights", "weights(trimWeights(dstrat, upper = 40, lower = 20, strict = TRUE))")

# proportions: svyciprop; the df R uses is degf() of the (domain) design
for (m in c("logit", "beta", "mean")) {
  run(paste0("ciprop_", m), sprintf("svyciprop(~yes, dstrat, method = '%s')", m))
  run(paste0("ciprop_clus_", m), sprintf("svyciprop(~awards01, dclus1, method = '%s')", m))
  run(paste0("ciprop_na_", m), sprintf("svyciprop(~yes_na, dstrat, method = '%s', na.rm = TRUE)", m))
  for (s in c("E", "H", "M")) {
    run(paste0("ciprop_by_", m, "_", s),
        sprintf("svyciprop(~yes_na, subset(dstrat, stype == '%s'), method = '%s', na.rm = TRUE)", s, m))
  }
  run(paste0("ciprop_cal_", m), sprintf("svyciprop(~awards01, calibrate(dclus1, ~stype, pop_cal), method = '%s')", m))
}
run("degf_strat_E", "degf(subset(dstrat, stype == 'E'))")

# quantiles (R >= 4.1 defaults: qrule = 'math', Woodruff interval 'mean')
run("quantile_strat", "svyquantile(~api00, dstrat, c(0.25, 0.5, 0.75))")
run("quantile_clus", "svyquantile(~api00, dclus1, c(0.1, 0.5, 0.9))")
run("quantile_strat_na", "svyquantile(~api00_na, dstrat, c(0.5), na.rm = TRUE)")
for (s in c("E", "H", "M")) run(paste0("quantile_by_", s), sprintf("svyquantile(~api00, subset(dstrat, stype == '%s'), c(0.5))", s))

# replicate weights
run("jkn_mean", "svymean(~api00 + yes, as.svrepdesign(dstrat, type = 'JKn'))")
run("jkn_by", "svyby(~api00, ~stype, as.svrepdesign(dstrat, type = 'JKn'), svymean)")
run("jk1_mean", "svymean(~api00, as.svrepdesign(dclus1, type = 'JK1'))")
run("jk1_total", "svytotal(~enroll, as.svrepdesign(dclus1, type = 'JK1'))")
run("jk1_cal_mean", "svymean(~api00, calibrate(as.svrepdesign(dclus1, type = 'JK1'), ~stype, pop_cal))")
run("jk1_rake_mean", "svymean(~api00, calibrate(as.svrepdesign(dclus1, type = 'JK1'), ~stype + sch.wide, pop_rake, calfun = 'raking', epsilon = 1e-12))")
run("jk1_ratio", "svyratio(~api.stu, ~enroll, as.svrepdesign(dclus1, type = 'JK1'))")

# comparisons
# (svyby(covmat = TRUE) fails in survey 4.1.1 (inflmats error); the saturated svyglm gives the same contrast)
run("contrast_by", "svycontrast(svyglm(api00 ~ stype, dstrat), c(0, 1, 0))")
run("contrast_by_cal", "svycontrast(svyglm(api00 ~ stype, calibrate(dclus1, ~stype + sch.wide, pop_rake, calfun = 'raking', epsilon = 1e-12)), c(0, 1, -1))")
run("contrast_jkn", "svycontrast(svyby(~api00, ~stype, as.svrepdesign(dstrat, type = 'JKn'), svymean, covmat = TRUE), c(0, 1, -1))")
run("quantile_jkn", "svyquantile(~api00, as.svrepdesign(dstrat, type = 'JKn'), c(0.5))")
run("chisq_F", "svychisq(~sch.wide + stype, dstrat)")
run("chisq_Chisq", "svychisq(~sch.wide + stype, dstrat, statistic = 'Chisq')")
run("chisq_clus_F", "svychisq(~sch.wide + stype, dclus1)")

# lonely strata: apistrat with only one school of type E
lone <- rbind(apistrat[apistrat$stype != "E", ], apistrat[apistrat$stype == "E", ][1, ])
write.csv(lone[, keep], "apistrat_lonely.csv", row.names = FALSE, na = "")
dlone <- svydesign(id = ~1, strata = ~stype, weights = ~pw, fpc = ~fpc, data = lone)
for (pol in c("adjust", "certainty", "average")) {
  options(survey.lonely.psu = pol)
  run(paste0("lonely_", pol), "svymean(~api00, dlone)")
}
options(survey.lonely.psu = "fail")

## ---- monitor-like data ----------------------------------------------------------------------
ml <- read.csv("monitorlike.csv", stringsAsFactors = FALSE)
mm <- read.csv("monitorlike_margins.csv", stringsAsFactors = FALSE)
pop_for <- function(formula) {
  nm <- colnames(model.matrix(formula, ml))
  vars <- all.vars(formula)
  total <- sum(mm$total[mm$margin == vars[1]])
  sapply(nm, function(n) {
    if (n == "(Intercept)") return(total)
    for (v in vars) if (startsWith(n, v)) return(mm$total[mm$margin == v & mm$level == substring(n, nchar(v) + 1)])
  })
}
pop_ml <- pop_for(~stratum + sex + age)
dml <- svydesign(id = ~1, strata = ~stratum, weights = ~weight, fpc = ~N_h, data = ml)
dml_rake <- calibrate(dml, ~stratum + sex + age, pop_ml, calfun = "raking", epsilon = 1e-12)
res$ml_population <- list(call = "pop_for(~stratum + sex + age)", names = names(pop_ml), value = unname(pop_ml))
run("ml_mean", "svymean(~trust, dml, na.rm = TRUE, deff = TRUE)")
run("ml_by_victim", "svyby(~victim, ~stratum, dml, svymean)")
run("ml_by_reported", "svyby(~reported, ~stratum, dml, svymean, na.rm = TRUE)")
run("ml_rake_weights", "weights(dml_rake)")
run("ml_rake_mean", "svymean(~victim + threat, dml_rake)")
run("ml_rake_reported", "svymean(~reported, dml_rake, na.rm = TRUE)")
run("ml_rake_by_sex", "svyby(~reported, ~sex, dml_rake, svymean, na.rm = TRUE)")
run("ml_rake_by_stratum_trust", "svyby(~trust, ~stratum, dml_rake, svymean, na.rm = TRUE)")
run("ml_rake_ratio", "svyratio(~incidents_reported, ~incidents, dml_rake)")
run("ml_rake_total", "svytotal(~incidents, dml_rake)")
run("ml_logit_weights", "weights(calibrate(dml, ~stratum + sex + age, pop_ml, calfun = 'logit', bounds = c(0.5, 1.8), epsilon = 1e-12))")
run("ml_logit_mean", "svymean(~reported, calibrate(dml, ~stratum + sex + age, pop_ml, calfun = 'logit', bounds = c(0.5, 1.8), epsilon = 1e-12), na.rm = TRUE)")
# R's rake(): back-fitting variance and its default stopping rule (documented differences)
rk <- rake(dml, list(~stratum, ~sex, ~age), list(data.frame(stratum = mm$level[mm$margin == "stratum"], Freq = mm$total[mm$margin == "stratum"]),
                                                  data.frame(sex = mm$level[mm$margin == "sex"], Freq = mm$total[mm$margin == "sex"]),
                                                  data.frame(age = mm$level[mm$margin == "age"], Freq = mm$total[mm$margin == "age"])))
run("ml_rake_R_reported", "svymean(~reported, rk, na.rm = TRUE)")
run("ml_rake_R_by_stratum", "svyby(~reported, ~stratum, rk, svymean, na.rm = TRUE)")
run("ml_rake_cal_by_stratum", "svyby(~reported, ~stratum, dml_rake, svymean, na.rm = TRUE)")
run("ml_rake_R_weights", "weights(rk)")
for (m in c("logit", "beta")) for (s in c("BM", "CdK", "WH", "RL")) {
  run(paste0("ml_ciprop_", m, "_", s),
      sprintf("svyciprop(~reported, subset(dml_rake, stratum == '%s'), method = '%s', na.rm = TRUE)", s, m))
}
run("ml_degf_BM", "degf(subset(dml_rake, stratum == 'BM'))")
run("ml_nrow_BM", "nrow(subset(dml_rake, stratum == 'BM'))")
# jackknife with re-raked replicates; the census stratum DG has no replicates
dml_jk <- calibrate(as.svrepdesign(dml, type = "JKn"), ~stratum + sex + age, pop_ml, calfun = "raking", epsilon = 1e-12)
run("ml_jk_ncol", "ncol(weights(dml_jk))")
run("ml_jk_mean", "svymean(~victim + reported, dml_jk, na.rm = TRUE)")
run("ml_jk_by_sex", "svyby(~reported, ~sex, dml_jk, svymean, na.rm = TRUE)")
run("ml_contrast_sex", "svycontrast(svyglm(victim ~ sex, dml_rake), c(0, -1))")
run("ml_chisq", "svychisq(~victim + sex, dml_rake)")
run("ml_chisq_stratum", "svychisq(~victim + stratum, dml_rake)")

write_json(res, "reference.json", digits = NA, auto_unbox = TRUE, pretty = FALSE)
cat("wrote", length(res), "reference entries\n")
