#!/usr/bin/python3
"""Writes examples/oof/: Kaggle-style out-of-fold predictions of five scikit-learn models on the
Wisconsin breast-cancer data (569 samples, 2 classes; shipped inside scikit-learn, no download).

Each model's probabilities come from 5-fold cross_val_predict, so every row is a prediction made
by a model that never saw that row: the usual input of a stacking/blending step.
Run with Debian's python3 (python3-sklearn): /usr/bin/python3 scripts/examples/make_oof.py
"""
import json
import os

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import ExtraTreesClassifier, GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'examples', 'oof')
os.makedirs(OUT, exist_ok=True)
X, y = load_breast_cancer(return_X_y=True)
folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
models = {
    'logreg': make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000)),
    'forest': RandomForestClassifier(n_estimators=200, random_state=0),
    'extra-trees': ExtraTreesClassifier(n_estimators=200, random_state=0),
    'gbm': GradientBoostingClassifier(random_state=0),
    'knn': make_pipeline(StandardScaler(), KNeighborsClassifier(n_neighbors=15)),
    'naive-bayes': GaussianNB(),
}
with open(os.path.join(OUT, 'labels.csv'), 'w') as f:
    f.write('label\n')
    f.writelines(f'{int(v)}\n' for v in y)
summary = {}
for name, model in models.items():
    p = cross_val_predict(model, X, y, cv=folds, method='predict_proba')
    p = np.clip(p, 0, 1)
    p = p / p.sum(axis=1, keepdims=True)
    if name == 'gbm':
        np.save(os.path.join(OUT, f'{name}.npy'), p.astype(np.float32))
    elif name == 'naive-bayes':
        with open(os.path.join(OUT, f'{name}.json'), 'w') as f:
            json.dump({'predictions': [[round(float(v), 6) for v in row] for row in p]}, f)
    else:
        with open(os.path.join(OUT, f'{name}.csv'), 'w') as f:
            f.write('class_0,class_1\n')
            f.writelines(f'{a:.6f},{b:.6f}\n' for a, b in p)
    summary[name] = float((p.argmax(1) == y).mean())
print(json.dumps(summary, indent=1))
