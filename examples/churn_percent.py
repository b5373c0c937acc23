# %% [markdown]
# # Customer churn (script version)
# The workflow of churn.ipynb as a percent-format script.

# %%
import joblib
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

# %%
df = pd.read_csv("data/churn.csv", parse_dates=["signup_date"])
df["total_charges"] = df["total_charges"].fillna(df["monthly_charges"] * df["tenure_months"])
print(df.shape)

# %%
contract_codes = {"month-to-month": 0, "one-year": 1, "two-year": 2}
df["contract_code"] = df["contract"].map(contract_codes)
df = df[df["tenure_months"] >= min_tenure].reset_index(drop=True)

# %% [markdown]
# ## Model

# %%
features = ["tenure_months", "monthly_charges", "total_charges", "support_calls", "contract_code"]
scaler = StandardScaler()
X = scaler.fit_transform(df[features])
X_train, X_test, y_train, y_test = train_test_split(X, df["churned"], test_size=0.2, random_state=42)
model = LogisticRegression(max_iter=1000).fit(X_train, y_train)
print("roc auc:", round(roc_auc_score(y_test, model.predict_proba(X_test)[:, 1]), 3))
joblib.dump(model, "churn_model.joblib")

# %%
min_tenure = 1
